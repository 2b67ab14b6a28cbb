import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, specmap, specmapJson } from '../lib/exec.mjs';
import { workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, alternate, median, round, row, targets } from '../lib/timing.mjs';

const ARCHIVED = 1000;

/**
 * Waits until the post-commit hook's background process has recorded the queued commit and released the lock,
 * so it never competes with the next measured commit. Returns how long that took (ms).
 */
function drain(dir) {
  const t0 = Date.now();
  const queue = join(dir, '.git', 'specmap');
  const busy = () => existsSync(join(dir, '.git', 'specmap.lock'))
    || (existsSync(queue) && readdirSync(queue).some((f) => f.startsWith('pending-commits')));
  while (busy()) {
    if (Date.now() - t0 > 30_000) throw new Error(`the post-commit queue in ${dir} did not drain in 30 s`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
  }
  return Date.now() - t0;
}

function committer(dir, drains) {
  return (i) => {
    writeFileSync(join(dir, 'hooked.txt'), `round ${i} ${dir}\n`);
    git(dir, ['add', 'hooked.txt']);
    const { ms } = git(dir, ['commit', '-q', '-m', `bench commit ${i}`]);
    const waited = drain(dir);
    drains?.push(waited);
    return ms;
  };
}

/** 1,000 archived sessions, each a folder with a valid session.yaml made from one that specmap really ended. */
function addArchivedSessions(dirs) {
  const [first] = dirs;
  const tmpl = specmapJson(first, ['start', 'archive template']).session_id;
  specmap(first, ['end', tmpl, '--no-backup']);
  const text = readFileSync(join(first, '04-agents', 'sessions', 'archive', tmpl, 'session.yaml'), 'utf8');
  const date = tmpl.slice(0, 10);
  for (const dir of dirs) {
    for (let k = 0; k < ARCHIVED; k += 1) {
      const day = `2024-${String(1 + Math.floor(k / 280)).padStart(2, '0')}-${String(1 + (Math.floor(k / 10) % 28)).padStart(2, '0')}`;
      const id = `${day}-session-${String(1 + (k % 10)).padStart(3, '0')}-archived-${k}`;
      const folder = join(dir, '04-agents', 'sessions', 'archive', id);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'session.yaml'), text.replaceAll(tmpl, id).replaceAll(date, day));
    }
    git(dir, ['add', '04-agents/sessions/archive']);
    git(dir, ['commit', '-q', '-m', 'archived sessions']);
    drain(dir);
  }
}

export async function hooksCase(ctx) {
  const runs = ctx.quick ? 3 : 15;
  const withHooks = workingCopy('S', 'hooks-with', ctx.log);
  const without = workingCopy('S', 'hooks-without', ctx.log);
  for (const dir of [withHooks, without]) specmap(dir, ['start', 'hook bench']);
  specmap(withHooks, ['hooks', 'install']);
  const target = targets.added(60, 'a commit without hooks', GROUPS.earlier);
  const rows = [];
  const measure = (id, label, note) => {
    const drains = [];
    const warmup = ctx.quick ? 1 : 2;
    const r = alternate({ runs, warmup, a: committer(withHooks, drains), b: committer(without) });
    rows.push(row({ id, label, a: r.a, b: r.b, ...target, note, extra: { background_record_ms: round(median(drains.slice(warmup))) } }));
  };
  measure('hook-active', 'git commit, hooks vs none (1 active session)');
  addArchivedSessions([withHooks, without]);
  measure('hook-archived', `the same with ${ARCHIVED.toLocaleString('en')} archived sessions`);
  const config = 'scratch:\n  - "04-agents/sessions/active/*/notes/**"\n  - "tmp/**"\n';
  for (const dir of [withHooks, without]) writeFileSync(join(dir, '04-agents', 'config.yaml'), config);
  measure('hook-config', 'the same with 04-agents/config.yaml (scratch globs: Node once, then cached for sh)');
  ctx.cleanup(withHooks);
  ctx.cleanup(without);
  return {
    key: 'hooks',
    title: 'Hook overhead: `git commit` with `specmap hooks install` vs without',
    rows,
    note: 'Both repositories (S) have an active session; each commit stages one changed file. The post-commit '
      + 'hook queues the commit and records it in a background Node process; the harness waits for that process '
      + 'to finish before the next commit and reports its duration as background_record_ms (not part of the commit time).',
  };
}
