import { isSpecmapError } from '../../shared/errors.js';
import type { SessionState } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession } from './store.js';
import { listRemoteSessions, readRemoteSessionDoc } from '../remote/remote-sessions.js';
import type { SessionDoc } from './session-file.js';
import { forkedFromOf, type ForkedFrom } from './forked-from.js';
import { sessionsOfAllWorktrees } from './worktrees.js';

export interface ListInput {
  /** Include archived (completed) sessions. */
  all?: boolean;
  /** Sessions fetched from remotes instead of local ones (true: every remote, or a remote's name). */
  remote?: boolean | string;
  /** Only sessions whose recorded user (git "Name <email>") contains this, case-insensitively. */
  user?: string;
  /** The sessions of every worktree of the repository (each with its worktree), not only this one's. */
  worktrees?: boolean;
}

export interface SessionSummary {
  id: string;
  state: SessionState | 'remote';
  /** The remote it was fetched from (remote listings only). */
  remote?: string;
  /** Who ran it: git "Name <email>" at start, when known. */
  user?: string;
  status: string;
  date: string;
  startTime: string;
  endTime: string | null;
  focus: string;
  agent: string;
  checkpoints: number;
  filesCreated: number;
  filesModified: number;
  rulemapScore: number | null;
  workspace: string;
  /** The checkpoint it was forked from (specmap fork). */
  forkedFrom?: ForkedFrom;
  /** The worktree that holds it (listings of every worktree only). */
  worktree?: string;
}

export interface ListOutcome {
  sessions: SessionSummary[];
  /** Sessions whose session.yaml could not be read: one sentence each. */
  problems: string[];
}

/** Lists sessions, active first then archived, each oldest first. Unreadable session files are reported, not fatal. */
export async function listSessions(project: Project, opts: ListInput = {}): Promise<ListOutcome> {
  const sessions: SessionSummary[] = [];
  const problems: string[] = [];
  if (opts.remote) {
    const remote = typeof opts.remote === 'string' ? opts.remote : undefined;
    for (const s of await listRemoteSessions(project, remote)) {
      try {
        sessions.push(summarise(s.id, 'remote', await readRemoteSessionDoc(project, s), `${s.ref}`, s.remote));
      } catch (err) {
        if (!isSpecmapError(err)) throw err;
        problems.push(err.message);
      }
    }
    return { sessions: filterUser(sessions, opts.user), problems };
  }
  const states: SessionState[] = opts.all ? ['active', 'archive'] : ['active'];
  if (opts.worktrees) {
    const placed = await sessionsOfAllWorktrees(project, states);
    // Active first, then archived, as below; each oldest first.
    placed.sort((a, b) => Number(a.handle.state !== 'active') - Number(b.handle.state !== 'active') || (a.handle.id < b.handle.id ? -1 : a.handle.id > b.handle.id ? 1 : 0));
    for (const p of placed) {
      try {
        sessions.push({ ...summarise(p.handle.id, p.handle.state as SessionState, loadSession(p.handle), `${p.handle.relDir}/`), worktree: p.project.root });
      } catch (err) {
        if (!isSpecmapError(err)) throw err;
        problems.push(err.message);
      }
    }
    return { sessions: filterUser(sessions, opts.user), problems };
  }
  for (const state of states) {
    for (const h of listSessionHandles(project, [state])) {
      try {
        sessions.push(summarise(h.id, state, loadSession(h), `${h.relDir}/`));
      } catch (err) {
        if (!isSpecmapError(err)) throw err;
        problems.push(err.message);
      }
    }
  }
  return { sessions: filterUser(sessions, opts.user), problems };
}

function filterUser(sessions: SessionSummary[], user: string | undefined): SessionSummary[] {
  if (!user) return sessions;
  const needle = user.toLowerCase();
  return sessions.filter((s) => (s.user ?? '').toLowerCase().includes(needle));
}

function summarise(id: string, state: SessionSummary['state'], doc: SessionDoc, workspace: string, remote?: string): SessionSummary {
  const forkedFrom = forkedFromOf(doc);
  return {
    id,
    state,
    ...(remote ? { remote } : {}),
    ...(typeof doc.session.user === 'string' ? { user: doc.session.user } : {}),
    status: doc.session.status,
    date: doc.session.date,
    startTime: doc.session.start_time,
    endTime: doc.session.end_time,
    focus: doc.session.focus,
    agent: doc.session.agent,
    checkpoints: doc.checkpoints.length,
    filesCreated: doc.artifacts.created.length,
    filesModified: doc.artifacts.modified.length,
    rulemapScore: doc.rulemap_score,
    workspace,
    ...(forkedFrom ? { forkedFrom } : {}),
  };
}

