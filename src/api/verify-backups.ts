import { verifyBackups as verifyBackupsOf } from '../domain/backup/verify.js';
import type { ProgressFn } from './backup-progress.js';
import type { VerifyBackupsResult } from './contract/verify-backups.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { VerifyBackupsResult } from './contract/verify-backups.js';

export interface VerifyBackupsOptions extends ProjectOptions {
  /** One backup: a session id, date or milestone name (or a unique prefix), or its ZIP path; omitted, every backup. */
  backup?: string;
  onProgress?: ProgressFn;
}

/**
 * Checks that backups can be restored, with the checks restore applies: each archive against its recorded SHA-256,
 * every entry through the ZIP entry check (names, local headers against the central directory, duplicates, types,
 * sizes) and its CRC, every file against the manifest (size, SHA-256, mode), and the ZIP against its git copy.
 * Nothing is repaired; `ok` is false when any is damaged.
 *
 * @example
 * await verifyBackups({ cwd: '/repo', backup: '2025-10-25' });
 * // → { ok: true, results: [{ kind: 'daily', name: '2025-10-25', ok: true, files: 42, archive: 'match', problems: [], notes: [] }] }
 */
export async function verifyBackups(opts: VerifyBackupsOptions = {}): Promise<VerifyBackupsResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const results = await verifyBackupsOf(project, { target: opts.backup, onProgress: opts.onProgress });
    return { ok: results.every((r) => r.ok), results };
  });
}
