import { listSessions, type ListSessionsResult } from '../../../api/list-sessions.js';
import { EXIT_CODES, SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';
import { count } from '../units.js';

export function renderList(r: ListSessionsResult, all = false): string {
  if (r.sessions.length === 0) {
    return all ? 'No sessions yet. Start one with: specmap start "<focus>"' : 'No active sessions. Start one with: specmap start "<focus>"';
  }
  const rows = r.sessions.map((s) => [
    s.remote ? `${s.remote}/${s.session_id}` : s.session_id,
    s.status,
    `${s.date} ${s.start_time}`,
    String(s.checkpoints),
    String(s.files_created),
    String(s.files_modified),
    s.rulemap_score === null ? '-' : String(s.rulemap_score),
  ]);
  return table(['SESSION', 'STATUS', 'STARTED', 'CHECKPOINTS', 'CREATED', 'MODIFIED', 'RULEMAP'], rows);
}

/**
 * The sessions of every worktree as families: each fork under the session it was forked from (with the checkpoint),
 * a fork whose parent is not listed at the top with "forked from", each line with its worktree.
 */
export function renderTree(r: ListSessionsResult, all = false): string {
  if (r.sessions.length === 0) return renderList(r, all);
  const ids = new Set(r.sessions.map((s) => s.session_id));
  const children = new Map<string, ListSessionsResult['sessions']>();
  for (const s of r.sessions) {
    const parent = s.forked_from?.session_id;
    if (parent && ids.has(parent)) children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: string[] = [];
  const line = (s: ListSessionsResult['sessions'][number], prefix: string, branch: string, root: boolean) => {
    const from = s.forked_from ? (root ? ` (forked from ${s.forked_from.session_id}:${s.forked_from.checkpoint_id})` : ` @ ${s.forked_from.checkpoint_id}`) : '';
    out.push(`${prefix}${branch}${s.session_id}${from}  [${s.status}, ${s.checkpoints} checkpoint${s.checkpoints === 1 ? '' : 's'}${s.rulemap_score === null ? '' : `, RULEMAP ${s.rulemap_score}`}]  ${s.worktree ?? ''}`.trimEnd());
    const kids = children.get(s.session_id) ?? [];
    const next = prefix + (root ? '' : branch === '└─ ' ? '   ' : '│  ');
    kids.forEach((k, i) => line(k, next, i === kids.length - 1 ? '└─ ' : '├─ ', false));
  };
  for (const s of r.sessions) if (!s.forked_from || !ids.has(s.forked_from.session_id)) line(s, '', '', true);
  return out.join('\n');
}

export async function run(ctx: CommandContext, opts: { all?: boolean; remote?: boolean | string; user?: string; tree?: boolean }): Promise<void> {
  if (opts.tree && opts.remote !== undefined) throw new SpecmapError('USAGE', '--tree lists the sessions of this repository\'s worktrees; it cannot go with --remote');
  const result = await listSessions({ cwd: ctx.cwd, all: opts.all, remote: opts.remote, user: opts.user, worktrees: opts.tree });
  for (const p of result.problems) ctx.out.warn(p);
  ctx.out.result(result, (r) => (opts.tree ? renderTree(r, opts.all) : renderList(r, opts.all)));
  // The listing is printed either way; the exit status says some of it is missing.
  if (result.problems.length > 0) {
    // Under --json the problems are in the result, which stays the one JSON document on stdout.
    if (ctx.out.json) {
      process.exitCode = EXIT_CODES.CORRUPT_DATA;
      return;
    }
    throw new SpecmapError('CORRUPT_DATA', `${count(result.problems.length, 'session file')} could not be read (see above)`, { kind: 'unreadable-sessions' });
  }
}
