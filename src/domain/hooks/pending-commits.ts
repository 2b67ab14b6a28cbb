import { recordCommit, type RecordCommitResult } from './commit-tracking.js';
import { isSpecmapError } from '../../shared/errors.js';
import { appendQueuedLines, hasPendingCommitWork, pendingCommitsFile, takeQueuedLines } from '../project/queues.js';
import { withProjectLock, type Project } from '../project/project.js';

/**
 * Records every queued commit, those of a queue a killed recorder had taken first; call with the project lock held.
 * Returns what was recorded or skipped.
 */
export async function recordPendingCommitsLocked(project: Project): Promise<RecordCommitResult[]> {
  const file = pendingCommitsFile(project);
  const queue = takeQueuedLines(file);
  if (!queue) return [];
  const results: RecordCommitResult[] = [];
  const retry: string[] = [];
  for (const [i, line] of queue.lines.entries()) {
    const [commit, session] = line.trim().split(/\s+/);
    if (commit) {
      try {
        results.push(await recordCommit(project, commit, session || undefined));
      } catch (err) {
        // A session that ended or a commit that vanished will never record; anything else is tried again later.
        if (!isSpecmapError(err) || err.code === 'LOCKED' || err.code === 'IO' || err.code === 'NO_SPACE' || err.code === 'GIT_FAILED') retry.push(line);
      }
    }
    // Recording is idempotent (a commit already in the session is not added again), so a kill between the record
    // and this mark only makes the next settle see "already recorded".
    queue.worked(i);
  }
  if (retry.length > 0) appendQueuedLines(file, retry);
  queue.done();
  return results;
}

/**
 * What the post-commit and post-merge shims' background process does: records the queue under the lock, and
 * nothing else (the settling of other queued work is for commands). It takes the lock itself, so its api verb opens
 * without one.
 */
export async function recordPendingCommits(project: Project): Promise<RecordCommitResult[]> {
  if (!hasPendingCommitWork(project)) return [];
  return withProjectLock(project, () => recordPendingCommitsLocked(project));
}
