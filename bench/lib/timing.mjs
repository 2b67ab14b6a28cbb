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
  const r = interleave({ warmup, runs, before, sides: { a, b } });
  return { a: r.a, b: r.b };
}

/** The sides' order in round i: rotated by one each round, so each side goes first equally often. */
const rotated = (names, i) => {
  const k = i % names.length;
  return [...names.slice(k), ...names.slice(0, k)];
};

/**
 * `alternate` for any number of sides: every round runs each side once, in an order rotated round by round, so
 * machine drift and cache warmth fall on all of them alike. A side is a function returning milliseconds, or
 * `{ prep, fn }` where `prep` (untimed) runs just before it. Returns the samples of each side by name.
 */
export function interleave({ warmup = 1, runs, before, sides }) {
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < warmup + runs; i += 1) {
    before?.(i);
    const order = rotated(names, i);
    for (const name of order) {
      const side = sides[name];
      const fn = typeof side === 'function' ? side : side.fn;
      if (typeof side !== 'function') side.prep?.(i);
      const ms = fn(i);
      if (i >= warmup) out[name].push(ms);
    }
  }
  return out;
}

/** `interleave` whose sides may be async (the MCP client). */
export async function interleaveAsync({ warmup = 1, runs, before, sides }) {
  const names = Object.keys(sides);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < warmup + runs; i += 1) {
    await before?.(i);
    const order = rotated(names, i);
    for (const name of order) {
      const side = sides[name];
      const fn = typeof side === 'function' ? side : side.fn;
      if (typeof side !== 'function') await side.prep?.(i);
      const ms = await fn(i);
      if (i >= warmup) out[name].push(ms);
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
const fmtMs = (x) => (x >= 100 ? `${Math.round(x)}` : x.toFixed(1));

/**
 * Targets, each a description, a predicate and how its value is shown in the Targets table. `group` places the
 * row in that table (issue #19's targets first, in the issue's order).
 */
export const targets = {
  /** specmap's median at most `max` times the baseline's. */
  ratio: (max, of = 'plumbing', group) => ({
    group, target: `≤ ${max}× ${of}`, pass: ({ ratio }) => ratio <= max, value: ({ ratio }) => `${ratio.toFixed(2)}×`,
  }),
  /** specmap's median at most `ms` above the baseline's. */
  added: (ms, over, group) => ({
    group,
    target: `≤ ${ms} ms added over ${over}`,
    pass: ({ specmap, baseline }) => specmap - baseline <= ms,
    value: ({ specmap, baseline }) => `${specmap - baseline >= 0 ? '+' : ''}${fmtMs(specmap - baseline)} ms`,
  }),
  /** specmap's median at most `ms`. */
  ms: (ms, group) => ({ group, target: `≤ ${ms} ms`, pass: ({ specmap }) => specmap <= ms, value: ({ specmap }) => `${fmtMs(specmap)} ms` }),
  /** specmap's median at most `max` times a reference median (the same command in the smallest case). */
  flat: (reference, refLabel, max, group) => ({
    group,
    target: `≤ ${max}× ${refLabel} (flat)`,
    pass: ({ specmap }) => specmap / reference <= max,
    value: ({ specmap }) => `${(specmap / reference).toFixed(2)}× (${fmtMs(specmap)} vs ${fmtMs(reference)} ms)`,
  }),
};

/** A result row: medians, ratio, all samples. `target` is a description checked by `pass`, shown as `value`. */
export function row({ id, label, a, b, target, pass, value, group, note, extra }) {
  const sm = median(a);
  const bm = b ? median(b) : null;
  const ratio = b ? sm / bm : null;
  const judged = pass ? pass({ specmap: sm, baseline: bm, ratio }) : null;
  return {
    id,
    label,
    specmap_ms: round(sm),
    baseline_ms: bm === null ? null : round(bm),
    ratio: ratio === null ? null : round(ratio, 2),
    added_ms: bm === null ? null : round(sm - bm),
    target: target ?? null,
    pass: judged,
    value: pass && value ? value({ specmap: sm, baseline: bm, ratio }) : null,
    group: pass ? group ?? null : null,
    runs: a.length,
    samples: { specmap: a.map((x) => round(x)), baseline: b ? b.map((x) => round(x)) : null },
    note: note ?? null,
    ...extra,
  };
}

/** The groups of the Targets table, in order; rows of other groups follow. */
export const GROUPS = {
  cli: 'CLI checkpoint (issue 19)',
  flat: 'Flat in session history (issue 19)',
  mcp: 'MCP (issue 19)',
  agent: 'Agent hooks (issue 19)',
  fixed: 'Fixed costs, without NODE_EXTRA_CA_CERTS (issue 19)',
  earlier: 'Earlier targets (issues 5, 8, 17)',
};
