import type { Project } from '../project/project.js';
import { activeSessionsWithMeta, listSessionHandles, loadSession, saveSession } from '../session/store.js';
import { forkedFromOf } from '../session/forked-from.js';
import { pathInCommit } from '../../storage/git/objects.js';

/** The metadata key that ties a specmap session to the agent's own conversation id. */
export const AGENT_SESSION_KEY = 'agent_session_id';

/**
 * The session an agent event belongs to: the active one tagged with its conversation id, or none. Never another
 * session that happens to be active: a second conversation, or one a person started by hand, is not this one's.
 */
export function findAgentSession(project: Project, conversation: string): string | undefined {
  return activeSessionsWithMeta(project, AGENT_SESSION_KEY, conversation)[0]?.id;
}

/**
 * The conversation's session, as findAgentSession finds it; in the worktree `specmap fork` made, a conversation that
 * has none takes the fork: when the worktree's one active session is a fork no conversation is tied to yet, it is
 * tagged with this one. A fork is made for an agent to work in, so this adopts no person's session; a second
 * conversation there finds it tagged and opens its own. Lock held (it may write session.yaml).
 */
export function conversationSession(project: Project, conversation: string): { id: string; adopted: boolean } | undefined {
  const found = findAgentSession(project, conversation);
  if (found) return { id: found, adopted: false };
  const active = listSessionHandles(project, ['active']);
  if (active.length !== 1) return undefined;
  const h = active[0]!;
  try {
    const doc = loadSession(h);
    if (!forkedFromOf(doc) || doc.metadata?.[AGENT_SESSION_KEY] !== undefined) return undefined;
    doc.metadata = { ...(doc.metadata ?? {}), [AGENT_SESSION_KEY]: conversation };
    saveSession(h, doc);
    return { id: h.id, adopted: true };
  } catch {
    return undefined;
  }
}

/** "created" for a file that is not in HEAD (a file the agent just brought into being), else "modified". */
export async function guessFileAction(project: Project, path: string): Promise<'created' | 'modified'> {
  return (await pathInCommit(project.git, 'HEAD', path)) ? 'modified' : 'created';
}
