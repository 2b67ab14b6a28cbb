import { milestoneBackup as milestoneBackupOf } from '../domain/backup/create.js';
import { checkMilestoneName } from '../domain/backup/layout.js';
import type { ProgressFn } from './backup-progress.js';
import type { MilestoneBackupResult } from './contract/milestone-backup.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { MilestoneBackupResult } from './contract/milestone-backup.js';

export interface MilestoneBackupOptions extends ProjectOptions {
  /** Letters, digits, '.', '_' and '-', e.g. v1.0-release: it names the ZIP and the tag. */
  name: string;
  /** Replace an existing milestone of that name. */
  force?: boolean;
  onProgress?: ProgressFn;
}

/**
 * Backs up the whole project as it is now (tracked and untracked files, never ignored ones or the backups) as a
 * commit tagged milestones/<name> and as 04-agents/backups/milestones/<name>.zip with a manifest.
 *
 * @example
 * await milestoneBackup({ cwd: '/repo', name: 'v1.0-release' });
 * // → { kind: 'milestone', name: 'v1.0-release', zip: '04-agents/backups/milestones/v1.0-release.zip', items: ['.'],
 * //     ref: 'refs/tags/milestones/v1.0-release', updated: false, … }
 */
export async function milestoneBackup(opts: MilestoneBackupOptions): Promise<MilestoneBackupResult> {
  checkMilestoneName(opts.name);
  return transaction(opts, 'write', async ({ project }) => {
    const r = await milestoneBackupOf(project, { name: opts.name, force: opts.force, onProgress: opts.onProgress });
    return { ...r, kind: 'milestone' as const };
  });
}
