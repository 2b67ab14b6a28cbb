import { recordPendingCommitsLocked, hasPendingCommitWork } from '../hooks/pending-commits.js';
import { completePendingBackupsLocked, hasPendingBackups } from '../backup/session-backup.js';
import { withProjectLock, type Project } from './project.js';

/**
 * Finishes work that hooks left for later: commits the post-commit shim queued, and session ZIPs a fast
 * SessionEnd deferred. Every command that reads or changes sessions calls this first, so nothing queued is ever
 * silently missing. Call with the project lock held.
 */
export async function settleLocked(project: Project): Promise<void> {
  await recordPendingCommitsLocked(project);
  await completePendingBackupsLocked(project);
}

/** settleLocked for commands that do not otherwise take the lock; free when nothing is queued. */
export async function settle(project: Project): Promise<void> {
  if (!hasPendingCommitWork(project) && !hasPendingBackups(project)) return;
  await withProjectLock(project, () => settleLocked(project));
}
