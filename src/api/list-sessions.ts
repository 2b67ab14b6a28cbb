import { listSessions as listSessionsIn, type SessionSummary as Summary } from '../domain/session/list.js';
import type { ListSessionsResult, SessionSummary } from './contract/list-sessions.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ListSessionsResult, SessionSummary } from './contract/list-sessions.js';

export interface ListSessionsOptions extends ProjectOptions {
  /** Include archived (completed) sessions. */
  all?: boolean;
  /** Sessions fetched from remotes instead of local ones (true: every remote, or a remote's name). */
  remote?: boolean | string;
  /** Only sessions whose recorded user (git "Name <email>") contains this, case-insensitively. */
  user?: string;
  /** The sessions of every worktree of the repository, each with its `worktree` (what `list --tree` shows). */
  worktrees?: boolean;
}

/**
 * Lists sessions: active ones (with `all`, archived ones after them), each oldest first. Unreadable session files
 * are reported in `problems`, not thrown.
 *
 * @example
 * await listSessions({ cwd: '/repo', all: true });
 * // → { sessions: [{ session_id: '2025-10-25-session-001-auth', state: 'active', checkpoints: 2, … }], problems: [] }
 */
export async function listSessions(opts: ListSessionsOptions = {}): Promise<ListSessionsResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const r = await listSessionsIn(project, { all: opts.all, remote: opts.remote, user: opts.user, worktrees: opts.worktrees });
    return { sessions: r.sessions.map(summaryOf), problems: r.problems };
  });
}

function summaryOf(s: Summary): SessionSummary {
  return {
    session_id: s.id, state: s.state,
    ...(s.remote ? { remote: s.remote } : {}),
    ...(s.user ? { user: s.user } : {}),
    status: s.status, focus: s.focus, agent: s.agent, date: s.date, start_time: s.startTime, end_time: s.endTime,
    checkpoints: s.checkpoints, files_created: s.filesCreated, files_modified: s.filesModified, rulemap_score: s.rulemapScore,
    workspace: s.workspace,
    ...(s.forkedFrom ? { forked_from: { session_id: s.forkedFrom.session, checkpoint_id: s.forkedFrom.checkpoint, commit: s.forkedFrom.commit } } : {}),
    ...(s.worktree ? { worktree: s.worktree } : {}),
  };
}
