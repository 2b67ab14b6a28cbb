import type { Project } from '../project/project.js';
import { activeSessionsWithMeta, listSessionHandles } from '../session/store.js';
import { pathInCommit } from '../../storage/git/objects.js';

/** The metadata key that ties a specmap session to the agent's own conversation id. */
export const AGENT_SESSION_KEY = 'agent_session_id';

/**
 * The session an agent event belongs to: the one tagged with its conversation id, else (unless `strict`) the only
 * active session (hooks set up in the middle of a conversation), else none.
 */
export function findAgentSession(project: Project, conversation: string, strict = false): string | undefined {
  const tagged = activeSessionsWithMeta(project, AGENT_SESSION_KEY, conversation);
  if (tagged.length > 0) return tagged[0]!.id;
  if (strict) return undefined;
  const active = listSessionHandles(project, ['active']);
  return active.length === 1 ? active[0]!.id : undefined;
}

/** "created" for a file that is not in HEAD (a file the agent just brought into being), else "modified". */
export async function guessFileAction(project: Project, path: string): Promise<'created' | 'modified'> {
  return (await pathInCommit(project.git, 'HEAD', path)) ? 'modified' : 'created';
}
