export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `warmup` untimed rounds, then `runs` rounds of both sides, alternating which goes first so neither
 * always gets the warmer cache. Each side is a function that does its own untimed preparation and returns the
 * milliseconds of the part that counts.
 */
export function alternate({ warmup = 1, runs, before, a, b }) {
  const out = { a: [], b: [] };
  for (let i = 0; i < warmup + runs; i += 1) {
    before?.(i);
    const order = i % 2 === 0 ? [['a', a], ['b', b]] : [['b', b], ['a', a]];
    for (const [key, fn] of order) {
      const ms = fn(i);
      if (i >= warmup) out[key].push(ms);
    }
  }
  return out;
}

/** Runs one side alone (no baseline) and returns its samples. */
export function repeat({ warmup = 1, runs, fn }) {
  const out = [];
  for (let i = 0; i < warmup + runs; i += 1) {
    const ms = fn(i);
    if (i >= warmup) out.push(ms);
  }
  return out;
}

export const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

/** A result row: medians, ratio, all samples. `target` is a predicate description checked by `pass`. */
export function row({ id, label, a, b, target, pass, note, extra }) {
  const sm = median(a);
  const bm = b ? median(b) : null;
  const ratio = b ? sm / bm : null;
  return {
    id,
    label,
    specmap_ms: round(sm),
    baseline_ms: bm === null ? null : round(bm),
    ratio: ratio === null ? null : round(ratio, 2),
    added_ms: bm === null ? null : round(sm - bm),
    target: target ?? null,
    pass: pass ? pass({ specmap: sm, baseline: bm, ratio }) : null,
    runs: a.length,
    samples: { specmap: a.map((x) => round(x)), baseline: b ? b.map((x) => round(x)) : null },
    note: note ?? null,
    ...extra,
  };
}
