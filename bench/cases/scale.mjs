import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, run, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { SIZES, applyChanges, resetChanges, workingCopy } from '../lib/repo-gen.mjs';
import { interleave, median, round, row } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

/** The index file's format version and whether it carries the untracked cache (UNTR) and fsmonitor (FSMN) extensions. */
function indexInfo(dir) {
  const file = join(dir, '.git', 'index');
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(12);
  readSync(fd, head, 0, 12, 0);
  closeSync(fd);
  const all = readFileSync(file);
  return { version: head.readUInt32BE(4), untracked_cache: all.includes('UNTR'), fsmonitor: all.includes('FSMN'), bytes: all.length };
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
  const dir = workingCopy(size, `scale-${size}`, ctx.log);
  const fsm = fsmonitorSupport(dir);
  const configs = [
    { key: 'default', label: 'as generated', apply: () => {} },
    {
      key: 'untracked-cache', label: 'core.untrackedCache=true',
      apply: () => {
        git(dir, ['config', 'core.untrackedCache', 'true']);
        git(dir, ['update-index', '--untracked-cache']);
      },
    },
    {
      key: 'many-files', label: 'feature.manyFiles=true (index v4, untracked cache)',
      apply: () => {
        git(dir, ['config', '--unset', 'core.untrackedCache'], { okCodes: [0, 5] });
        git(dir, ['config', 'feature.manyFiles', 'true']);
        git(dir, ['update-index', '--index-version', '4']);
        git(dir, ['update-index', '--untracked-cache']);
      },
    },
  ];
  if (fsm.supported) {
    configs.push({
      key: 'fsmonitor', label: 'feature.manyFiles + core.fsmonitor=true (builtin daemon)',
      apply: () => {
        git(dir, ['config', 'core.fsmonitor', 'true']);
        git(dir, ['fsmonitor--daemon', 'start']);
      },
      stop: () => git(dir, ['fsmonitor--daemon', 'stop'], { okCodes: [0, 1] }),
    });
  }
  const runs = ctx.quick ? 2 : ctx.largeRuns;
  const rows = [];
  for (const c of configs) {
    c.apply();
    // `git status` writes the index with the settings in effect (and fills the untracked cache).
    git(dir, ['status', '--porcelain']);
    git(dir, ['status', '--porcelain']);
    const info = indexInfo(dir);
    for (const n of ctx.quick ? [1] : [1, 100]) {
      const id = specmapJson(dir, ['start', `scale ${c.key} ${n}`]).session_id;
      const r = interleave({
        warmup: 1,
        runs,
        before: (i) => applyChanges(dir, size, n, i, { tag: `-${c.key}` }),
        sides: {
          specmap: (i) => specmap(dir, ['checkpoint', id, `scale ${c.key} ${i}`]).ms,
          plumbing: () => sh(dir, BASELINE_SNAPSHOT).ms,
          status: () => git(dir, ['status', '--porcelain']).ms,
        },
      });
      resetChanges(dir);
      rows.push(row({
        id: `scale-${c.key}-${n}`, label: `${c.label}, ${n} changed`, a: r.specmap, b: r.plumbing,
        extra: { config: c.key, changed: n, status_ms: round(median(r.status)), index: info },
      }));
      ctx.log(`  ${c.key} n=${n}: specmap ${rows.at(-1).specmap_ms} ms, plumbing ${rows.at(-1).baseline_ms} ms, status ${rows.at(-1).status_ms} ms`);
    }
    c.stop?.();
  }
  ctx.cleanup(dir);
  return {
    key: 'scale',
    title: `Large working trees: git's settings for many files (${size}, ${SIZES[size].files.toLocaleString('en')} files)`,
    rows,
    extra: { fsmonitor: fsm, git_settings_applied_cumulatively: false },
    note: `One working copy; each setting is applied in turn (manyFiles replaces untrackedCache), then \`git status\` twice so the index is written with it. `
      + `Median of ${runs} rounds, specmap, plumbing and git status in rotating order. `
      + (fsm.supported ? 'core.fsmonitor uses git\'s builtin daemon.' : `core.fsmonitor is not measured: \`git fsmonitor--daemon\` answers "${fsm.message}" (git's builtin daemon supports macOS and Windows only in this version; ${fsm.watchman ? 'Watchman is installed but its hook is not measured' : 'Watchman, the other way to feed core.fsmonitor, is not installed'}).`),
  };
}
