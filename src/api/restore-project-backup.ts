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
   * Destination folder, relative to `cwd` or absolute, inside or outside the project; default
   * 04-agents/backups/restored/<kind>-<name>/. Never the project itself, 04-agents/ (inside it only a folder under
   * 04-agents/backups/restored/) or a folder holding it, or the git directory, in it or around it.
   */
  to?: string;
  /** Replace an existing non-empty destination; refused for a project folder holding uncommitted or untracked work. */
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
      kind: opts.kind, name: opts.name, force: opts.force, to: opts.to === undefined ? undefined : toOutputDir(project.root, cwd, opts.to), toShown: opts.to,
    }));
}
