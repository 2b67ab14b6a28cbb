import { sh, specmap, specmapJson } from '../lib/exec.mjs';
import { applyChanges, resetChanges, workingCopy } from '../lib/repo-gen.mjs';
import { alternate, row } from '../lib/timing.mjs';

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

/** A fresh session in `dir`, then `runs` rounds of: change `n` files, checkpoint, and the baseline on the same tree. */
export function measureCheckpoint(dir, size, n, { runs, warmup = 1 }) {
  const id = specmapJson(dir, ['start', `bench ${size} ${n}`]).session_id;
  const res = alternate({
    warmup,
    runs,
    before: (i) => applyChanges(dir, size, n, i),
    a: (i) => specmap(dir, ['checkpoint', id, `bench ${size} ${n} round ${i}`]).ms,
    b: () => sh(dir, BASELINE_SNAPSHOT).ms,
  });
  resetChanges(dir);
  return { ...res, session: id };
}

const RATIO_TARGET = { target: '≤ 1.3× baseline', pass: ({ ratio }) => ratio <= 1.3 };

/** Case 1: the headline checkpoint, 150 changed files (100 modified, 50 new) of 10,000. */
export async function checkpointHeadline(ctx) {
  const size = ctx.quick ? 'S' : 'M';
  const dir = workingCopy(size, `checkpoint-${size}`, ctx.log);
  const r = measureCheckpoint(dir, size, 150, { runs: ctx.quick ? 3 : 9 });
  ctx.cleanup(dir);
  return {
    key: 'checkpoint',
    title: `Checkpoint, 150 changed files (100 modified, 50 new) of ${size === 'M' ? '10,000' : '1,000'}`,
    rows: [row({ id: `checkpoint-${size}-150`, label: `specmap checkpoint vs plumbing (${size})`, a: r.a, b: r.b, ...RATIO_TARGET })],
    note: 'specmap also writes the checkpoint manifest (snapshots/<id>.yaml), rewrites session.yaml, creates an '
      + 'annotated tag and takes the repository lock; the baseline only writes the commit and one ref.',
  };
}

/** Case 2: changed files 1, 10, 100, 1,000 at S, M, L. */
export async function checkpointScaling(ctx) {
  const sizes = ctx.quick ? ['S'] : ctx.large ? ['S', 'M', 'L'] : ['S', 'M'];
  const counts = [1, 10, 100, 1000];
  const rows = [];
  const timings = {};
  for (const size of sizes) {
    const t0 = Date.now();
    const dir = workingCopy(size, `scaling-${size}`, ctx.log);
    const runs = ctx.quick ? 3 : size === 'L' ? ctx.largeRuns : 7;
    for (const n of counts) {
      const r = measureCheckpoint(dir, size, n, { runs });
      const ratioOk = size === 'S' ? {} : RATIO_TARGET;
      rows.push(row({ id: `scaling-${size}-${n}`, label: `${size}, ${n} changed`, a: r.a, b: r.b, ...ratioOk, extra: { size, changed: n } }));
      ctx.log(`  ${size} n=${n}: specmap ${rows.at(-1).specmap_ms} ms, baseline ${rows.at(-1).baseline_ms} ms`);
    }
    ctx.cleanup(dir);
    timings[size] = Math.round((Date.now() - t0) / 1000);
  }
  return {
    key: 'scaling',
    title: 'Checkpoint scaling: changed files × repository size',
    rows,
    extra: { seconds_per_size: timings },
    note: 'Target ≤ 1.3× at M and L (S is reported, not judged). A third of the changed files are new, two thirds modified.',
  };
}
