import type { Project } from '../project/project.js';
import { activeSessionsWithMeta } from '../session/store.js';
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

/** "created" for a file that is not in HEAD (a file the agent just brought into being), else "modified". */
export async function guessFileAction(project: Project, path: string): Promise<'created' | 'modified'> {
  return (await pathInCommit(project.git, 'HEAD', path)) ? 'modified' : 'created';
}
