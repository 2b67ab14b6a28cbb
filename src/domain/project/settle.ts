import { withProjectLock, type Project } from './project.js';
import { hasStaleLeftovers, staleLeftovers, sweepLeftoversLocked } from './leftovers.js';
import { hasPendingBackups, hasPendingCommitWork, hasPendingRewrites, hasQueuedAgentEvents, queuedWork } from './queues.js';

/**
 * Finishes work that hooks left for later: commits the post-commit shim queued, agent events that could not get the
 * lock in time (with those of a queue a killed process had taken), and session ZIPs a fast SessionEnd deferred; and
 * first removes what a killed command left (the temp files an in-place restore had staged, staging folders). Every api transaction calls this first, so nothing queued is ever silently missing. Call with
 * the project lock held. The code that does the work is loaded only when there is some (start-up cost).
 */
export async function settleLocked(project: Project): Promise<void> {
  sweepLeftoversLocked(project);
  if (hasPendingCommitWork(project)) await (await import('../hooks/pending-commits.js')).recordPendingCommitsLocked(project);
  if (hasPendingRewrites(project)) await (await import('../attribution/rewrites.js')).carryPendingRewritesLocked(project);
  if (hasQueuedAgentEvents(project)) await (await import('../agent/agent-queue.js')).settleAgentEventsLocked(project);
  if (hasPendingBackups(project)) await (await import('../backup/session-backup.js')).completePendingBackupsLocked(project);
}

/** settleLocked for commands that do not otherwise take the lock; free when nothing is queued. */
export async function settle(project: Project): Promise<void> {
  if (!hasPendingCommitWork(project) && !hasPendingRewrites(project) && !hasQueuedAgentEvents(project) && !hasPendingBackups(project) && !hasStaleLeftovers(project)) return;
  await withProjectLock(project, () => settleLocked(project));
}

/**
 * What settleLocked would do now, one sentence each (empty when nothing waits); reads only. A dry run settles
 * nothing and reports this beside its plan, since the real run does this work first.
 */
export function settleWork(project: Project): string[] {
  const left = staleLeftovers(project);
  const n = left.journals.length + left.scratch.length;
  return [
    ...(n > 0 ? [`${n} leftover${n === 1 ? '' : 's'} of a killed specmap command would be removed first`] : []),
    ...queuedWork(project),
  ];
}
