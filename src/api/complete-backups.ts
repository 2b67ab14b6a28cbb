import { completePendingBackups } from '../domain/backup/session-backup.js';
import type { CompleteBackupsResult } from './contract/complete-backups.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { CompleteBackupsResult } from './contract/complete-backups.js';

/**
 * Writes the session ZIPs a fast SessionEnd deferred (the detached process it starts runs this). Free when none is
 * owed: the lock is taken only when there is work.
 *
 * @example
 * await completeBackups({ cwd: '/repo' });
 * // → { backups: [{ path: '04-agents/backups/sessions/2025-10-25-session-001-auth-backup.zip', entries: 12, bytes: 40960, warnings: [] }] }
 */
export async function completeBackups(opts: ProjectOptions = {}): Promise<CompleteBackupsResult> {
  return transaction(opts, 'open', async ({ project }) => ({ backups: await completePendingBackups(project) }));
}
