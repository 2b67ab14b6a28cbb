import { fetchOffsite, fetchRefusal } from '../domain/backup/offsite/fetch.js';
import { resolveRemote } from '../domain/backup/offsite/layout.js';
import { restoreBackup as restoreBackupOf } from '../domain/restore/restore.js';
import type { RestoreBackupResult } from './contract/restore-backup.js';
import type { ProgressFn } from './backup-progress.js';
import { lockedStep, transaction, type ProjectOptions } from './transaction.js';

export type { RestoreBackupResult } from './contract/restore-backup.js';

export interface RestoreBackupOptions extends ProjectOptions {
  /** The session whose ZIP to restore: its id or a unique prefix. */
  session: string;
  /** Replace an existing -restored folder. */
  force?: boolean;
  /**
   * An off-site copy (rclone remote or folder, as for offsitePull) to fetch the ZIP from first when it is missing
   * here; checked against the remote's record before use. `true`: backup.offsite of 04-agents/config.yaml.
   */
  from?: string | true;
  /** Told how far it is (the archive checked, then files written so far). */
  onProgress?: ProgressFn;
}

/**
 * Extracts a session's backup ZIP to 04-agents/sessions/active/<id>-restored/: verified, zip-slip proof, all or nothing.
 * With `from`, a ZIP missing here is first fetched from that off-site copy into its usual place.
 *
 * @example
 * await restoreBackup({ cwd: '/repo', session: '2025-10-25-session-001' });
 * // → { session_id: '2025-10-25-session-001-auth', backup: '04-agents/backups/sessions/2025-10-25-session-001-auth-backup.zip',
 * //     destination: '04-agents/sessions/active/2025-10-25-session-001-auth-restored/', files: 7, fetched: [] }
 */
export async function restoreBackup(opts: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const shape = (r: Awaited<ReturnType<typeof restoreBackupOf>>, fetched: string[]): RestoreBackupResult =>
    ({ session_id: r.session, backup: r.backup, destination: r.destination, files: r.files, fetched });
  // No fetch for a session the restore refuses anyway ('@', empty): its own message says why.
  if (opts.from === undefined || opts.session === '@' || opts.session === '') {
    return transaction(opts, 'write', async ({ project }) => shape(await restoreBackupOf(project, { session: opts.session, force: opts.force, onProgress: opts.onProgress }), []));
  }
  const from = opts.from;
  // 'read': the download runs without the lock; the restore itself is one locked step.
  return transaction(opts, 'read', async ({ project, cwd }) => {
    const got = await fetchOffsite(project, resolveRemote(project, from === true ? undefined : from, cwd), { kind: 'session', name: opts.session });
    const refused = got.backups.find((b) => b.action === 'skipped');
    if (refused) throw fetchRefusal(refused);
    const session = got.name ?? opts.session;
    return lockedStep(project, async () => shape(await restoreBackupOf(project, { session, force: opts.force, onProgress: opts.onProgress }), got.backups.flatMap((b) => b.files)));
  });
}
