import { isSpecmapError, SpecmapError } from '../../shared/errors.js';
import type { Project } from '../project/project.js';
import { listRemoteSessions, materialiseRemoteSession } from '../remote/remote-sessions.js';
import { resolveSession, type SessionHandle } from './store.js';

/**
 * For read-only commands (show, log, diff, restore): a local session, or else one fetched by `specmap pull`.
 * Local sessions always win; a prefix matching several fetched sessions is ambiguous like a local one.
 */
export async function resolveAnySession(project: Project, ref: string): Promise<SessionHandle> {
  try {
    return resolveSession(project, ref);
  } catch (err) {
    if (!isSpecmapError(err) || err.code !== 'SESSION_NOT_FOUND' || ref === '@') throw err;
    const remote = await listRemoteSessions(project);
    const exact = remote.filter((s) => s.id === ref);
    const matches = exact.length > 0 ? exact : remote.filter((s) => s.id.startsWith(ref));
    const ids = [...new Set(matches.map((s) => s.id))];
    if (ids.length === 0) throw err;
    if (ids.length > 1) throw new SpecmapError('SESSION_AMBIGUOUS', `session '${ref}' is ambiguous among fetched sessions: ${ids.slice(0, 10).join(', ')}`);
    return materialiseRemoteSession(project, matches[0]!);
  }
}
