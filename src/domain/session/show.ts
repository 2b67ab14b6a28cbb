import { resolveAnySession } from './lookup.js';
import type { SessionState } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { loadSession } from './store.js';
import type { SessionDoc } from './session-file.js';
import { readRef } from '../../storage/git/refs.js';
import { sessionRefName } from '../../shared/layout.js';

export interface ShowOutcome {
  id: string;
  state: SessionState | 'remote';
  workspace: string;
  /** The root of the other worktree that holds it (a fork's); undefined for this worktree's and fetched sessions. */
  worktree?: string;
  /** The session ref and where it points now (undefined for sessions with no git side). */
  ref: string;
  refTarget: string | undefined;
  doc: SessionDoc;
}

/** Everything recorded about one session. */
export async function showSession(project: Project, session: string): Promise<ShowOutcome> {
  const h = await resolveAnySession(project, session);
  const doc = loadSession(h);
  const ref = sessionRefName(h.id);
  return { id: h.id, state: h.state, workspace: `${h.relDir}/`, ...(h.worktree ? { worktree: h.worktree } : {}), ref, refTarget: await readRef(project.git, ref), doc };
}
