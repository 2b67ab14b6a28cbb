import { CA_CERTS, benchEnv, sh, specmap, specmapJson, withCaCerts } from '../lib/exec.mjs';
import { LARGE_SIZES, SIZES, applyChanges, resetChanges, workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, alternate, row, targets } from '../lib/timing.mjs';

/**
 * What a user could run instead of `specmap checkpoint`: a commit of the whole working state made from a shell
 * without touching the real index (the plumbing `git stash create -u` is built from).
 */
export const BASELINE_SNAPSHOT = [
  'cp .git/index .git/bench-index',
  'export GIT_INDEX_FILE=.git/bench-index',
  'git add -A',
  'tree=$(git write-tree)',
  'c=$(echo baseline | git commit-tree "$tree" -p HEAD)',
  'git update-ref refs/bench/baseline "$c"',
].join(' && ') + '; s=$?; rm -f .git/bench-index; exit $s';

/** Issue 19: the CLI checkpoint against plumbing, by changed files, at M, 50,000 and 250,000 files. */
export const CHECKPOINT_TARGETS = { 1: 1.9, 100: 1.5, 1000: 1.25 };
export const TARGET_SIZES = ['M', 'L', 'XXL'];

/** A fresh session in `dir`, then `runs` rounds of: change `n` files, checkpoint, and the baseline on the same tree. */
export function measureCheckpoint(dir, size, n, { runs, warmup = 1, env = benchEnv() }) {
  const id = specmapJson(dir, ['start', `bench ${size} ${n}`]).session_id;
  const res = alternate({
    warmup,
    runs,
    before: (i) => applyChanges(dir, size, n, i),
    a: (i) => specmap(dir, ['checkpoint', id, `bench ${size} ${n} round ${i}`], { env }).ms,
    b: () => sh(dir, BASELINE_SNAPSHOT).ms,
  });
  resetChanges(dir);
  return { ...res, session: id };
}

const k = (n) => n.toLocaleString('en');

/**
 * `specmap checkpoint` against the plumbing snapshot, changed files 1, 10, 100, 1,000 × repository sizes S, M and
 * (without --no-large) L, XL, XXL. Issue 19's targets are judged at M, L (50,000 files) and XXL (250,000 files); a
 * quick run judges S in M's place.
 */
export async function checkpointCase(ctx) {
  const sizes = ctx.quick ? ['S'] : ['S', 'M', ...(ctx.large ? LARGE_SIZES : [])];
  const judged = new Set(ctx.quick ? ['S'] : TARGET_SIZES);
  const counts = [1, 10, 100, 1000];
  const rows = [];
  const seconds = {};
  for (const size of sizes) {
    const t0 = Date.now();
    const dir = workingCopy(size, `checkpoint-${size}`, ctx.log);
    const runs = ctx.quick ? 3 : LARGE_SIZES.includes(size) ? ctx.largeRuns : 9;
    for (const n of counts) {
      const r = measureCheckpoint(dir, size, n, { runs });
      const t = judged.has(size) && CHECKPOINT_TARGETS[n] ? targets.ratio(CHECKPOINT_TARGETS[n], 'plumbing', GROUPS.cli) : {};
      rows.push(row({ id: `checkpoint-${size}-${n}`, label: `${size} (${k(SIZES[size].files)} files), ${k(n)} changed`, a: r.a, b: r.b, ...t, extra: { size, changed: n } }));
      ctx.log(`  ${size} n=${n}: specmap ${rows.at(-1).specmap_ms} ms, baseline ${rows.at(-1).baseline_ms} ms`);
    }
    if (size === 'M' && CA_CERTS) {
      const r = measureCheckpoint(dir, size, 1, { runs, env: withCaCerts() });
      rows.push(row({ id: 'checkpoint-M-1-ca', label: 'M, 1 changed, specmap with NODE_EXTRA_CA_CERTS (as this environment sets it)', a: r.a, b: r.b, extra: { size, changed: 1, variant: 'ca-certs' } }));
    }
    ctx.cleanup(dir);
    seconds[size] = Math.round((Date.now() - t0) / 1000);
  }
  return {
    key: 'checkpoint',
    title: 'Checkpoint vs plumbing: changed files × repository size',
    rows,
    extra: { seconds_per_size: seconds },
    note: `Targets (issue 19): ≤ ${CHECKPOINT_TARGETS[1]}× plumbing at 1 changed file, ≤ ${CHECKPOINT_TARGETS[100]}× at 100, `
      + `≤ ${CHECKPOINT_TARGETS[1000]}× at 1,000, judged at ${[...judged].join(', ')}; other sizes are reported. `
      + 'A third of the changed files are new, two thirds modified. Each size is one working copy; each count a fresh '
      + 'session in it. specmap also writes the checkpoint manifest (snapshots/<id>.yaml), rewrites session.yaml, '
      + 'creates an annotated tag and takes the repository lock; the baseline writes the commit and one ref. '
      + `Seconds per size in this run: ${Object.entries(seconds).map(([s, v]) => `${s} ${v}`).join(', ')}.`,
  };
}
