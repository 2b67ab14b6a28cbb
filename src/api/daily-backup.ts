import { dailyBackup as dailyBackupOf } from '../domain/backup/create.js';
import type { ProgressFn } from './backup-progress.js';
import type { DailyBackupResult } from './contract/daily-backup.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { DailyBackupResult } from './contract/daily-backup.js';

export interface DailyBackupOptions extends ProjectOptions {
  onProgress?: ProgressFn;
}

/**
 * Backs up the configured daily items (the spec folders, summaries and archived sessions) as a commit on
 * refs/backups/daily/<date> and as 04-agents/backups/daily/<date>/backup.zip with manifest.json. A second run on the
 * same day replaces that day's backup.
 *
 * @example
 * await dailyBackup({ cwd: '/repo' });
 * // → { kind: 'daily', name: '2025-10-25', zip: '04-agents/backups/daily/2025-10-25/backup.zip', items: ['01-specifications', …],
 * //     files: 42, bytes: 81234, commit: '…', ref: 'refs/backups/daily/2025-10-25', updated: false, manifest: '…/manifest.json' }
 */
export async function dailyBackup(opts: DailyBackupOptions = {}): Promise<DailyBackupResult> {
  return transaction(opts, 'write', async ({ project }) => {
    const r = await dailyBackupOf(project, { onProgress: opts.onProgress });
    return { ...r, kind: 'daily' as const };
  });
}
