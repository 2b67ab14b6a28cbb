import { restoreBackup as restoreBackupOf } from '../domain/restore/restore.js';
import type { RestoreBackupResult } from './contract/restore-backup.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { RestoreBackupResult } from './contract/restore-backup.js';

export interface RestoreBackupOptions extends ProjectOptions {
  /** The session whose ZIP to restore: its id or a unique prefix. */
  session: string;
  /** Replace an existing -restored folder. */
  force?: boolean;
}

/**
 * Extracts a session's backup ZIP to 04-agents/sessions/active/<id>-restored/: verified, zip-slip proof, all or nothing.
 *
 * @example
 * await restoreBackup({ cwd: '/repo', session: '2025-10-25-session-001' });
 * // → { session_id: '2025-10-25-session-001-auth', backup: '04-agents/backups/sessions/2025-10-25-session-001-auth-backup.zip',
 * //     destination: '04-agents/sessions/active/2025-10-25-session-001-auth-restored/', files: 7 }
 */
export async function restoreBackup(opts: RestoreBackupOptions): Promise<RestoreBackupResult> {
  return transaction(opts, 'write', async ({ project }) => {
    const r = await restoreBackupOf(project, { session: opts.session, force: opts.force });
    return { session_id: r.session, backup: r.backup, destination: r.destination, files: r.files };
  });
}
