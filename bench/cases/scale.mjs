import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, run, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { SIZES, applyChanges, resetChanges, workingCopy } from '../lib/repo-gen.mjs';
import { interleave, median, round, row } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

/** The index file's format version and whether it carries the untracked cache (UNTR) and fsmonitor (FSMN) extensions. */
function indexInfo(dir) {
  const all = readFileSync(join(dir, '.git', 'index'));
  return { version: all.readUInt32BE(4), untracked_cache: all.includes('UNTR'), fsmonitor: all.includes('FSMN'), bytes: all.length };
}

/** Whether git's own fsmonitor daemon runs on this platform (git 2.39 ships it for macOS and Windows only). */
function fsmonitorSupport(dir) {
  const r = run('git', ['fsmonitor--daemon', 'status'], { cwd: dir, okCodes: [0, 1, 128] });
  const text = `${r.stdout}${r.stderr}`.trim().split('\n')[0];
  const watchman = run('sh', ['-c', 'command -v watchman'], { okCodes: [0, 1, 127] }).status === 0;
  return { supported: !/not supported/i.test(text), message: text, watchman };
}

/**
 * The repository settings git offers for large working trees, at XL (100,000 files): a checkpoint with 1 and 100
 * changed files against the plumbing snapshot, with the repository as generated, with `core.untrackedCache`, and
 * with `feature.manyFiles` (index v4 + untracked cache); `git status` in the same rounds shows what each setting
 * does for git itself. `core.fsmonitor` is measured when git's builtin daemon runs here, and reported otherwise.
 */
export async function scaleCase(ctx) {
  const size = ctx.quick ? 'S' : ctx.large ? 'XL' : 'M';
  const configs = [
    { key: 'default', label: 'as generated', apply: () => {} },
    {
      key: 'untracked-cache', label: 'core.untrackedCache=true',
      apply: (dir) => {
        git(dir, ['config', 'core.untrackedCache', 'true']);
        git(dir, ['update-index', '--untracked-cache']);
      },
    },
    {
      key: 'many-files', label: 'feature.manyFiles=true (index v4, untracked cache)',
      apply: (dir) => {
        git(dir, ['config', 'feature.manyFiles', 'true']);
        git(dir, ['update-index', '--index-version', '4']);
        git(dir, ['update-index', '--untracked-cache']);
      },
    },
  ];
  // One copy per setting, so all are measured in the same rounds (rotating order) and drift falls on all alike.
  for (const c of configs) c.dir = workingCopy(size, `scale-${size}-${c.key}`, ctx.log);
  const fsm = fsmonitorSupport(configs[0].dir);
  if (fsm.supported) {
    const c = { key: 'fsmonitor', label: 'feature.manyFiles + core.fsmonitor=true (builtin daemon)' };
    c.dir = workingCopy(size, `scale-${size}-${c.key}`, ctx.log);
    c.apply = (dir) => {
      configs[2].apply(dir);
      git(dir, ['config', 'core.fsmonitor', 'true']);
      git(dir, ['fsmonitor--daemon', 'start']);
    };
    c.stop = (dir) => git(dir, ['fsmonitor--daemon', 'stop'], { okCodes: [0, 1] });
    configs.push(c);
  }
  for (const c of configs) {
    // Hard-linked copies share inodes, so each later copy moved the earlier ones' ctime: refresh them all now.
    git(c.dir, ['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
    c.apply(c.dir);
    // `git status` writes the index with the settings in effect (and fills the untracked cache).
    git(c.dir, ['status', '--porcelain']);
    git(c.dir, ['status', '--porcelain']);
    c.index = indexInfo(c.dir);
  }
  const runs = ctx.quick ? 2 : ctx.largeRuns;
  const rows = [];
  for (const n of ctx.quick ? [1] : [1, 100]) {
    const sides = {};
    for (const c of configs) {
      const id = specmapJson(c.dir, ['start', `scale ${c.key} ${n}`]).session_id;
      sides[`${c.key}:specmap`] = (i) => specmap(c.dir, ['checkpoint', id, `scale ${c.key} ${i}`]).ms;
      sides[`${c.key}:plumbing`] = () => sh(c.dir, BASELINE_SNAPSHOT).ms;
      sides[`${c.key}:status`] = () => git(c.dir, ['status', '--porcelain']).ms;
    }
    const r = interleave({
      warmup: 1,
      runs,
      before: (i) => {
        for (const c of configs) applyChanges(c.dir, size, n, i, { tag: '-scale' });
      },
      sides,
    });
    for (const c of configs) {
      resetChanges(c.dir);
      rows.push(row({
        id: `scale-${c.key}-${n}`, label: `${c.label}, ${n} changed`, a: r[`${c.key}:specmap`], b: r[`${c.key}:plumbing`],
        extra: { config: c.key, changed: n, status_ms: round(median(r[`${c.key}:status`])), index: c.index },
      }));
      ctx.log(`  ${c.key} n=${n}: specmap ${rows.at(-1).specmap_ms} ms, plumbing ${rows.at(-1).baseline_ms} ms, status ${rows.at(-1).status_ms} ms`);
    }
  }
  for (const c of configs) {
    c.stop?.(c.dir);
    ctx.cleanup(c.dir);
  }
  return {
    key: 'scale',
    title: `Large working trees: git's settings for many files (${size}, ${SIZES[size].files.toLocaleString('en')} files)`,
    rows,
    extra: { fsmonitor: fsm },
    note: 'One working copy per setting, each set with `git config` and written into its index by `git status` (twice); '
      + `then all measured in the same rounds, specmap, plumbing and git status in rotating order, median of ${runs}. `
      + (fsm.supported ? 'core.fsmonitor uses git\'s builtin daemon.' : `core.fsmonitor is not measured: \`git fsmonitor--daemon\` answers "${fsm.message}" (git's builtin daemon supports macOS and Windows only in this version; ${fsm.watchman ? 'Watchman is installed but its hook is not measured' : 'Watchman, the other way to feed core.fsmonitor, is not installed'}).`),
  };
}
