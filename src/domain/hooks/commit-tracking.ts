import { SpecmapError } from '../../shared/errors.js';
import { applyChanges } from '../session/artifacts.js';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession, resolveSession, saveSession } from '../session/store.js';
import { commitChanges } from '../../storage/git/commits.js';
import { resolveCommit } from '../../storage/git/objects.js';
import { HOOK_RULES } from './rules.js';
import { attributeQuietly } from '../attribution/record-commit.js';

export type RecordCommitResult =
  | { recorded: true; session: string; commit: string; created: string[]; modified: string[]; deleted: string[]; renamed: { from: string; to: string }[] }
  | { recorded: false; reason: 'no-session' | 'several-sessions' | 'already-recorded'; message: string };

/**
 * Records a commit's files in the session's artifacts (created / modified, plus the `deleted` and `renamed` lists
 * specmap adds) and the commit id in the session's `commits:` list, in `sessionRef` (SPECMAP_SESSION) or else the
 * only active session. Only the active sessions folder is read, so the cost does not grow with the number of
 * archived sessions. Lock held.
 */
export async function recordCommit(project: Project, rev: string, sessionRef: string | undefined): Promise<RecordCommitResult> {
  const commit = await resolveCommit(project.git, rev);
  if (!commit) throw new SpecmapError('INVALID_INPUT', `no such commit: ${rev}`, { kind: 'commit' });
  const changes = await commitChanges(project.git, commit);
  {
    let handle;
    if (sessionRef) {
      handle = resolveSession(project, sessionRef, { states: ['active'] });
    } else {
      const active = listSessionHandles(project, ['active']);
      if (active.length !== 1) await attributeQuietly(project, commit, undefined);
      if (active.length === 0) return { recorded: false, reason: 'no-session', message: 'no active session' };
      if (active.length > 1) {
        return {
          recorded: false,
          reason: 'several-sessions',
          message: `${active.length} ${HOOK_RULES.severalSessions}`,
        };
      }
      handle = active[0]!;
    }
    const doc = loadSession(handle);
    const commits = Array.isArray(doc.commits) ? (doc.commits as unknown[]).map(String) : [];
    if (commits.includes(commit)) {
      return { recorded: false, reason: 'already-recorded', message: `${commit.slice(0, 7)} is already recorded` };
    }
    // The note first: a kill between the two leaves a commit to record again, whose note is then kept.
    await attributeQuietly(project, commit, handle);
    const result = applyChanges(doc, changes);
    doc.commits = [...commits, commit];
    saveSession(handle, doc);
    return { recorded: true, session: handle.id, commit, ...result };
  }
}
