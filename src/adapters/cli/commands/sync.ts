import { pull, type PullResult } from '../../../api/pull.js';
import { push, type PushResult } from '../../../api/push.js';
import { renumber, type RenumberResult } from '../../../api/renumber.js';
import { dryRunNote } from '../dry-run.js';
import { withProgress, type CommandContext } from '../output.js';
import { count } from '../units.js';

/** With `verbose`, the refs the remote already had too. */
export function renderPush(r: PushResult, verbose = false): string {
  const changed = r.refs.filter((x) => x.flag !== '=');
  const same = verbose ? r.refs.filter((x) => x.flag === '=').map((x) => `   ${x.ref} (up to date)`) : [];
  const all = r.session_ids.length === 1 ? 'its one session' : `all ${count(r.session_ids.length, 'session')}`;
  const lines = changed.length === 0
    ? [`✓ ${r.remote} already has ${all}`, ...same]
    : [
      `⬆️  ${r.dry_run ? 'Would push' : 'Pushed'} to ${r.remote}: ${count(r.session_ids.length, 'session')}, ${count(changed.length, 'ref')} ${r.dry_run ? 'to update' : 'updated'}`,
      ...changed.map((x) => `   ${x.ref} (${x.summary})`),
      ...same,
    ];
  if (r.dry_run) for (const m of r.meta_updates) lines.push(`📝 First, locally: ${m.ref} -> ${m.to.slice(0, 12)} (a commit of the session's folder)`);
  return [...lines, ...dryRunNote(r)].join('\n');
}

export function renderRenumber(r: RenumberResult): string {
  if (!r.dry_run) return `🔢 Renumbered ${r.renumbered_from} -> ${r.session_id}`;
  return [
    `🔢 Would renumber ${r.renumbered_from} -> ${r.session_id}`,
    `   move ${r.folder.from}/ -> ${r.folder.to}/`,
    ...r.refs.map((x) => `   ${x.action} ${x.ref}${x.action === 'create' ? ` -> ${x.target.slice(0, 12)}` : ''}`),
    ...dryRunNote(r),
  ].join('\n');
}

export function renderPull(r: PullResult): string {
  if (r.sessions.length === 0) return `${r.remote} has no sessions yet.`;
  const remoteOnly = r.sessions.filter((s) => !s.local).length;
  return `⬇️  Fetched ${count(r.sessions.length, 'session')} from ${r.remote} (${remoteOnly} not in this clone); see 'specmap list --remote'`;
}

export async function runPush(ctx: CommandContext, remote: string | undefined, sessions: string[], opts: { allowSecrets?: boolean; dryRun?: boolean } = {}): Promise<void> {
  const r = await withProgress(ctx, 'push', (onProgress) => push({ cwd: ctx.cwd, remote, sessions, allowSecrets: opts.allowSecrets, dryRun: opts.dryRun, onProgress }));
  ctx.out.result(r, (x) => renderPush(x, ctx.verbose));
}

export async function runPull(ctx: CommandContext, remote: string | undefined): Promise<void> {
  ctx.out.result(await withProgress(ctx, 'fetch', (onProgress) => pull({ cwd: ctx.cwd, remote, onProgress })), renderPull);
}

export async function runRenumber(ctx: CommandContext, session: string, opts: { dryRun?: boolean } = {}): Promise<void> {
  ctx.out.result(await renumber({ cwd: ctx.cwd, session, dryRun: opts.dryRun }), renderRenumber);
}
