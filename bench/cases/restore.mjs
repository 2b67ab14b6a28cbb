import { join } from 'node:path';
import { registerScratch, rmrf, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { applyChanges, workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, alternate, row, targets } from '../lib/timing.mjs';

const shq = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `specmap restore --restore-checkpoint` (to a -restored folder) vs `git archive <commit> -- <files> | tar -x`. */
export async function restoreCase(ctx) {
  const size = ctx.quick ? 'S' : 'M';
  const dir = workingCopy(size, `restore-${size}`, ctx.log);
  const id = specmapJson(dir, ['start', 'restore bench']).session_id;
  const counts = ctx.quick ? [150] : [150, 1000];
  const rows = [];
  for (const n of counts) {
    applyChanges(dir, size, n, 0);
    const cp = specmapJson(dir, ['checkpoint', id, `restore ${n}`]);
    const files = cp.files.filter((f) => f.status !== 'deleted').map((f) => f.path);
    const dest = join(dir, '04-agents', 'sessions', 'active', `${id}-${cp.checkpoint_id}-restored`);
    const baseDest = registerScratch(join(dir, '..', `restore-baseline-${n}`));
    const script = `mkdir -p ${shq(baseDest)} && git archive ${cp.commit} -- ${files.map(shq).join(' ')} | tar -x -C ${shq(baseDest)}`;
    const r = alternate({
      runs: ctx.quick ? 2 : 9,
      before: () => {
        rmrf(dest);
        rmrf(baseDest);
      },
      a: () => specmap(dir, ['restore', '--restore-checkpoint', id, cp.checkpoint_id]).ms,
      b: () => sh(dir, script).ms,
    });
    rmrf(dest);
    rmrf(baseDest);
    rows.push(row({
      id: `restore-${size}-${n}`,
      label: `restore a checkpoint of ${n} files (${size})`,
      a: r.a,
      b: r.b,
      ...targets.ratio(1.5, 'git archive | tar', GROUPS.earlier),
      extra: { files: files.length },
    }));
  }
  ctx.cleanup(dir);
  return {
    key: 'restore',
    title: 'Restore a checkpoint',
    rows,
    note: 'Both write the checkpoint\'s files (the ones it changed) to a fresh folder. specmap also takes the lock, '
      + 'reads session.yaml and checks that every path stays inside the project.',
  };
}
