import { isSpecmapError } from '../../shared/errors.js';
import { resolveId } from '../../shared/resolve-id.js';
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
    // No fetched session matches either: the local "not found" (with its hint) is the answer.
    if (!remote.some((s) => s.id.startsWith(ref))) throw err;
    const id = resolveId(ref, remote.map((s) => s.id), { what: 'session', where: ' among fetched sessions', notFound: 'SESSION_NOT_FOUND' });
    return materialiseRemoteSession(project, remote.find((s) => s.id === id)!);
  }
}
