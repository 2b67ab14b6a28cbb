import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, RSS_PROBE, WORK, benchEnv, git, registerScratch, rmrf, run, scratchDir, specmapJson } from '../lib/exec.mjs';
import { GROUPS } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

const GIB = 1024 ** 3;

/** Runs a command under /usr/bin/time -v: wall time, peak RSS of the process tree, and Node's own peak RSS. */
function timeV(cwd, cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, env: benchEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const field = (re) => re.exec(r.stderr)?.[1];
  const wall = field(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/) ?? '0:0';
  const parts = wall.split(':').map(Number);
  const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
  const node = field(/bench-node-maxrss-kb (\d+)/);
  const error = r.stderr.split('\n').find((l) => /^specmap:|^\w*Error: /.test(l)) ?? null;
  return {
    seconds: Math.round(seconds * 10) / 10,
    tree_rss_mb: Math.round(Number(field(/Maximum resident set size \(kbytes\): (\d+)/)) / 1024),
    node_rss_mb: node ? Math.round(Number(node) / 1024) : null,
    exit: Number(field(/Exit status: (\d+)/) ?? r.status),
    error,
  };
}

const nodeArgs = (...args) => ['--import', RSS_PROBE, CLI, ...args];

/** Peak memory with a 1 GiB file (sparse, so it is written instantly): checkpoint, session end, restore, milestone. */
export async function memoryCase(ctx) {
  const dir = scratchDir('memory');
  registerScratch(join(WORK, 'run', 'memory-baseline.zip'));
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'README.md'), '# 1 GiB file bench\n');
  writeFileSync(join(dir, '.gitignore'), '/04-agents/backups/\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'init']);
  const id = specmapJson(dir, ['start', 'memory bench']).session_id;
  run('truncate', ['-s', String(GIB), join(dir, 'big.bin')]);

  const results = [];
  const measure = (label, cmd, args, { baseline = false } = {}) => {
    const m = timeV(dir, cmd, args);
    results.push({ label, baseline, ...m });
    ctx.log(`  ${label}: ${m.seconds} s, tree ${m.tree_rss_mb} MB, node ${m.node_rss_mb ?? '-'} MB, exit ${m.exit}${m.error ? ` (${m.error})` : ''}`);
  };
  measure('baseline: plumbing snapshot (cp index, add -A, write-tree, commit-tree, update-ref)', 'sh', ['-c', BASELINE_SNAPSHOT], { baseline: true });
  measure('specmap checkpoint (1 GiB file new)', process.execPath, nodeArgs('checkpoint', id, '1 GiB file'));
  const cp = specmapJson(dir, ['restore', '--list-checkpoints', id]);
  const cpId = cp.checkpoints[0]?.checkpoint_id;
  measure('specmap restore --restore-checkpoint (1 GiB file)', process.execPath, nodeArgs('restore', '--restore-checkpoint', id, cpId));
  rmrf(join(dir, '04-agents', 'sessions', 'active', `${id}-${cpId}-restored`));
  measure('specmap backup milestone (project with the 1 GiB file)', process.execPath, nodeArgs('backup', 'milestone', 'big'));
  measure('baseline: git archive --format=zip -6 of the checkpoint commit', 'sh', ['-c', `git archive --format=zip -6 -o ../memory-baseline.zip $(git rev-parse refs/sessions/${id})`], { baseline: true });
  rmrf(join(WORK, 'run', 'memory-baseline.zip'));
  measure('specmap end (session ZIP with the checkpoint\'s copy of the 1 GiB file)', process.execPath, nodeArgs('end', id));
  ctx.cleanup(dir);
  return {
    key: 'memory',
    title: 'Peak memory with a 1 GiB file',
    rows: results.map((m, i) => ({
      id: `memory-${i}`,
      ...m,
      target: m.baseline ? null : '< 200 MB',
      group: m.baseline ? null : GROUPS.earlier,
      value: m.baseline ? null : `${m.tree_rss_mb} MB${m.exit ? ` (exit ${m.exit})` : ''}`,
      pass: m.baseline ? null : m.exit === 0 && m.tree_rss_mb < 200,
    })),
    note: 'Measured once each with /usr/bin/time -v. "tree" is the peak RSS of the largest process in the tree '
      + '(Node or a git child); "node" is the Node process alone, from process.resourceUsage() at exit.',
  };
}
