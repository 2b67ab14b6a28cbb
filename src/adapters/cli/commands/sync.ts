import { pull, type PullResult } from '../../../api/pull.js';
import { push, type PushResult } from '../../../api/push.js';
import { renumber } from '../../../api/renumber.js';
import type { CommandContext } from '../output.js';

export function renderPush(r: PushResult): string {
  const changed = r.refs.filter((x) => x.flag !== '=');
  if (changed.length === 0) return `✓ ${r.remote} already has all ${r.session_ids.length} session(s)`;
  return [`⬆️  Pushed to ${r.remote}: ${r.session_ids.length} session(s), ${changed.length} ref(s) updated`, ...changed.map((x) => `   ${x.ref} (${x.summary})`)].join('\n');
}

export function renderPull(r: PullResult): string {
  if (r.sessions.length === 0) return `${r.remote} has no sessions yet.`;
  const remoteOnly = r.sessions.filter((s) => !s.local).length;
  return `⬇️  Fetched ${r.sessions.length} session(s) from ${r.remote} (${remoteOnly} not in this clone); see 'specmap list --remote'`;
}

export async function runPush(ctx: CommandContext, remote: string | undefined, sessions: string[], opts: { allowSecrets?: boolean } = {}): Promise<void> {
  ctx.out.result(await push({ cwd: ctx.cwd, remote, sessions, allowSecrets: opts.allowSecrets }), renderPush);
}

export async function runPull(ctx: CommandContext, remote: string | undefined): Promise<void> {
  ctx.out.result(await pull({ cwd: ctx.cwd, remote }), renderPull);
}

export async function runRenumber(ctx: CommandContext, session: string): Promise<void> {
  ctx.out.result(await renumber({ cwd: ctx.cwd, session }), (r) => `🔢 Renumbered ${r.renumbered_from} -> ${r.session_id}`);
}
