import { isSpecmapError } from '../../shared/errors.js';
import { appendQueuedLines, pendingRewritesFile, takeQueuedLines } from '../project/queues.js';
import { withProjectLock, type Project } from '../project/project.js';
import { recordPendingCommitsLocked } from '../hooks/pending-commits.js';
import { listSessionHandles, type SessionHandle } from '../session/store.js';
import { listNotes, readNotes } from '../../storage/git/notes.js';
import { resolveCommit } from '../../storage/git/objects.js';
import { attributeCommit, type AttributeOutcome } from './attribute.js';
import { NOTES_REF, copiedRecord, parseNote, recordFor, specmapMeta, type RecordSource } from './trace-record.js';

/**
 * The session a rewritten commit's lines are looked up in besides its old record: the one that record names, while
 * it is active, else the only active session.
 */
function rewriteSession(project: Project, named: string | undefined): SessionHandle | undefined {
  const active = listSessionHandles(project, ['active']);
  return active.find((h) => h.id === named) ?? (active.length === 1 ? active[0] : undefined);
}

/**
 * Carries the attribution of `from` to `to`, the commit git rewrote it into (amend, rebase): the lines that are
 * still there keep who wrote them, new ones are looked up in the session, and the note of `to` is replaced. A commit
 * whose old self had no record is left to its own recording. Lock held.
 */
export async function carryRewrite(project: Project, from: string, to: string, source: RecordSource, notes?: Map<string, string>): Promise<AttributeOutcome | undefined> {
  const listed = notes ?? (await listNotes(project.git, NOTES_REF));
  if (!listed.has(from)) return undefined;
  const records = parseNote((await readNotes(project.git, NOTES_REF, [from], listed)).get(from) ?? '');
  const record = recordFor(records, from) ?? copiedRecord(records, from);
  if (!record) return undefined;
  const session = rewriteSession(project, specmapMeta(record).session);
  return attributeCommit(project, { commit: to, from: { commit: from, source }, replace: true, ...(session ? { session } : {}) });
}

/**
 * Works through the rewrites the post-rewrite shim queued, after the commits queued before them (a rebase's new
 * commits are recorded first, then their notes settled from the old ones). Lock held.
 */
export async function carryPendingRewritesLocked(project: Project): Promise<void> {
  await recordPendingCommitsLocked(project);
  const file = pendingRewritesFile(project);
  const queue = takeQueuedLines(file);
  if (!queue) return;
  const retry: string[] = [];
  let notes: Map<string, string> | undefined;
  for (const [i, line] of queue.lines.entries()) {
    const [old, next, kind] = line.trim().split(/\s+/);
    if (old && next) {
      try {
        const [from, to] = [await resolveCommit(project.git, old), await resolveCommit(project.git, next)];
        if (from && to && from !== to) {
          notes ??= await listNotes(project.git, NOTES_REF);
          const done = await carryRewrite(project, from, to, kind === 'amend' ? 'amend' : 'rebase', notes);
          if (done?.written) notes = undefined;
        }
      } catch (err) {
        // A commit that vanished never carries over; a busy or failing git is tried again by the next settle.
        if (!isSpecmapError(err) || err.code === 'LOCKED' || err.code === 'IO' || err.code === 'NO_SPACE' || err.code === 'GIT_FAILED') retry.push(line);
      }
    }
    queue.worked(i);
  }
  if (retry.length > 0) appendQueuedLines(file, retry);
  queue.done();
}

/** What the post-rewrite shim's background process does: the queue, under the lock. */
export async function carryPendingRewrites(project: Project): Promise<void> {
  await withProjectLock(project, () => carryPendingRewritesLocked(project));
}
