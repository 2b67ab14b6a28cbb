import { SpecmapError, isSpecmapError } from '../../shared/errors.js';
import { resolveId } from '../../shared/resolve-id.js';
import { pathBytes, shellWord } from '../../shared/path-text.js';
import type { Project } from '../project/project.js';
import { listRemoteSessions, materialiseRemoteSession } from '../remote/remote-sessions.js';
import { resolveSession, type SessionHandle } from './store.js';
import { locateElsewhere } from './worktrees.js';

const notFound = (err: unknown, ref: string): err is SpecmapError => ref !== '@' && isSpecmapError(err) && err.code === 'SESSION_NOT_FOUND';

/**
 * For read-only commands (show, log, diff, restore): a session of this worktree, else one in another worktree of
 * the repository (a fork's, found as `compare` finds it; the handle's `worktree` says where), else one fetched by
 * `specmap pull`. This worktree's sessions win, then the other worktrees'; a prefix matching several sessions of
 * one kind is ambiguous like a local one.
 */
export async function resolveAnySession(project: Project, ref: string): Promise<SessionHandle> {
  let missing: unknown;
  try {
    return resolveSession(project, ref);
  } catch (err) {
    if (!notFound(err, ref)) throw err;
    missing = err;
  }
  try {
    return (await locateElsewhere(project, ref, missing as Error)).handle;
  } catch (err) {
    if (!notFound(err, ref)) throw err;
    missing = err;
  }
  const remote = await listRemoteSessions(project);
  // No fetched session matches either: the "not found" (with its hint) is the answer.
  if (!remote.some((s) => s.id.startsWith(ref))) throw missing;
  const id = resolveId(ref, remote.map((s) => s.id), { what: 'session', where: ' among fetched sessions', notFound: 'SESSION_NOT_FOUND' });
  return materialiseRemoteSession(project, remote.find((s) => s.id === id)!);
}

/**
 * Resolves a session of this worktree for a command that writes its folder or moves its refs (push, renumber, …). A
 * session of another worktree (a fork's) is refused with where to run `verb` ("'specmap push'") instead of "not
 * found".
 */
export async function resolveSessionHere(project: Project, ref: string, verb: string): Promise<SessionHandle> {
  try {
    return resolveSession(project, ref);
  } catch (err) {
    if (!notFound(err, ref)) throw err;
    const elsewhere = await locateElsewhere(project, ref, err).catch((e: unknown) => {
      throw notFound(e, ref) ? err : e;
    });
    const root = elsewhere.project.root;
    throw new SpecmapError(
      'CONFLICT',
      `session ${elsewhere.handle.id} lives in the worktree ${root}: run ${verb} there (cd ${shellWord(pathBytes(root))})`,
      { kind: 'other-worktree', worktree: root },
    );
  }
}

/**
 * Resolves a session that must still be active and live in this worktree (track, checkpoint, end): they write its
 * session.yaml and checkpoint this worktree's files. A session of another worktree (a fork's) is refused with where
 * to run `verb` ("'specmap checkpoint'", "the agent") instead.
 */
export async function resolveActiveSession(project: Project, ref: string, verb: string): Promise<SessionHandle> {
  const h = await resolveSessionHere(project, ref, verb);
  if (h.state !== 'active') {
    throw new SpecmapError('CONFLICT', `session ${h.id} is already completed (archived); start a new one`, { kind: 'archived' });
  }
  return h;
}
