import { checkProjectBackupName, restoreProjectBackup as restoreProjectBackupOf } from '../domain/restore/project-backup.js';
import { toOutputDir } from '../storage/fs/project-path.js';
import type { RestoreProjectBackupResult } from './contract/restore-project-backup.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { RestoreProjectBackupResult } from './contract/restore-project-backup.js';

export interface RestoreProjectBackupOptions extends ProjectOptions {
  kind: 'daily' | 'milestone';
  /** A date (daily; or daily-backup-<date> for a Python SpecMap folder) or a milestone name. */
  name: string;
  /**
   * Destination folder, relative to `cwd` or absolute, inside or outside the project (never the project itself);
   * default 04-agents/backups/restored/<kind>-<name>/.
   */
  to?: string;
  /** Replace an existing non-empty destination. */
  force?: boolean;
}

/**
 * Restores a daily or milestone backup into a folder: from its ZIP, or from the git copy when the ZIP is missing or
 * damaged, or from the plain folder copies of a Python SpecMap daily backup. All or nothing.
 *
 * @example
 * await restoreProjectBackup({ cwd: '/repo', kind: 'daily', name: '2025-10-25', to: '/tmp/recovered' });
 * // → { kind: 'daily', name: '2025-10-25', source: 'zip', destination: '/tmp/recovered/', files: 42, notes: [] }
 */
export async function restoreProjectBackup(opts: RestoreProjectBackupOptions): Promise<RestoreProjectBackupResult> {
  checkProjectBackupName(opts.kind, opts.name);
  return transaction(opts, 'write', ({ project, cwd }) =>
    restoreProjectBackupOf(project, {
      kind: opts.kind, name: opts.name, force: opts.force, to: opts.to === undefined ? undefined : toOutputDir(project.root, cwd, opts.to),
    }));
}
