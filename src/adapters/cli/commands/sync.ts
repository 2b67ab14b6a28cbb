import { pull, type PullResult } from '../../../api/pull.js';
import { push, type PushResult } from '../../../api/push.js';
import { renumber } from '../../../api/renumber.js';
import { withProgress, type CommandContext } from '../output.js';
import { count } from '../units.js';

/** With `verbose`, the refs the remote already had too. */
export function renderPush(r: PushResult, verbose = false): string {
  const changed = r.refs.filter((x) => x.flag !== '=');
  const same = verbose ? r.refs.filter((x) => x.flag === '=').map((x) => `   ${x.ref} (up to date)`) : [];
  const all = r.session_ids.length === 1 ? 'its one session' : `all ${count(r.session_ids.length, 'session')}`;
  if (changed.length === 0) return [`✓ ${r.remote} already has ${all}`, ...same].join('\n');
  return [
    `⬆️  Pushed to ${r.remote}: ${count(r.session_ids.length, 'session')}, ${count(changed.length, 'ref')} updated`,
    ...changed.map((x) => `   ${x.ref} (${x.summary})`),
    ...same,
  ].join('\n');
}

export function renderPull(r: PullResult): string {
  if (r.sessions.length === 0) return `${r.remote} has no sessions yet.`;
  const remoteOnly = r.sessions.filter((s) => !s.local).length;
  return `⬇️  Fetched ${count(r.sessions.length, 'session')} from ${r.remote} (${remoteOnly} not in this clone); see 'specmap list --remote'`;
}

export async function runPush(ctx: CommandContext, remote: string | undefined, sessions: string[], opts: { allowSecrets?: boolean } = {}): Promise<void> {
  const r = await withProgress(ctx, 'push', (onProgress) => push({ cwd: ctx.cwd, remote, sessions, allowSecrets: opts.allowSecrets, onProgress }));
  ctx.out.result(r, (x) => renderPush(x, ctx.verbose));
}

export async function runPull(ctx: CommandContext, remote: string | undefined): Promise<void> {
  ctx.out.result(await withProgress(ctx, 'fetch', (onProgress) => pull({ cwd: ctx.cwd, remote, onProgress })), renderPull);
}

export async function runRenumber(ctx: CommandContext, session: string): Promise<void> {
  ctx.out.result(await renumber({ cwd: ctx.cwd, session }), (r) => `🔢 Renumbered ${r.renumbered_from} -> ${r.session_id}`);
}
