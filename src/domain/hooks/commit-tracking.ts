import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, TRACKING_FILE } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession, resolveSession, saveSession } from '../session/store.js';
import { commitChanges } from '../../storage/git/commits.js';
import { resolveCommit } from '../../storage/git/objects.js';
import { HOOK_RULES } from './rules.js';

export type RecordCommitResult =
  | { recorded: true; session: string; commit: string; created: string[]; modified: string[]; deleted: string[]; renamed: { from: string; to: string }[] }
  | { recorded: false; reason: 'no-session' | 'several-sessions' | 'already-recorded'; message: string };

/** specmap's own files are bookkeeping, not the session's work. */
function isSpecmapFile(path: string): boolean {
  return path.startsWith(`${AGENTS_DIR}/`) || path === TRACKING_FILE;
}

const unique = (list: string[], item: string) => (list.includes(item) ? list : [...list, item]);

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
    const a = doc.artifacts;
    let deletedList = Array.isArray(a.deleted) ? (a.deleted as unknown[]).map(String) : [];
    const renamedList = Array.isArray(a.renamed) ? (a.renamed as { from: string; to: string }[]) : [];
    const result = { created: [] as string[], modified: [] as string[], deleted: [] as string[], renamed: [] as { from: string; to: string }[] };
    for (const c of changes) {
      if (isSpecmapFile(c.path) && (!c.from || isSpecmapFile(c.from))) continue;
      if (c.status === 'A' || c.status === 'C') {
        if (!a.created.includes(c.path)) a.created.push(c.path);
        a.modified = a.modified.filter((p) => p !== c.path);
        deletedList = deletedList.filter((p) => p !== c.path);
        result.created.push(c.path);
      } else if (c.status === 'M' || c.status === 'T') {
        if (!a.created.includes(c.path)) a.modified = unique(a.modified, c.path);
        result.modified.push(c.path);
      } else if (c.status === 'D') {
        deletedList = unique(deletedList, c.path);
        result.deleted.push(c.path);
      } else if (c.status === 'R' && c.from) {
        // A file created in this session and then renamed is still this session's creation, under its new name.
        const wasCreated = a.created.includes(c.from);
        a.created = a.created.map((p) => (p === c.from ? c.path : p));
        a.modified = a.modified.map((p) => (p === c.from ? c.path : p));
        if (!wasCreated && !a.modified.includes(c.path)) a.modified.push(c.path);
        renamedList.push({ from: c.from, to: c.path });
        result.renamed.push({ from: c.from, to: c.path });
      }
    }
    if (deletedList.length > 0) a.deleted = deletedList;
    if (renamedList.length > 0) a.renamed = renamedList;
    doc.commits = [...commits, commit];
    saveSession(handle, doc);
    return { recorded: true, session: handle.id, commit, ...result };
  }
}
