import { fetchOffsite, fetchRefusal } from '../domain/backup/offsite/fetch.js';
import { resolveRemote } from '../domain/backup/offsite/layout.js';
import { checkProjectBackupName, restoreProjectBackup as restoreProjectBackupOf } from '../domain/restore/project-backup.js';
import { toOutputDir } from '../storage/fs/project-path.js';
import { readRef } from '../storage/git/refs.js';
import type { RestoreProjectBackupResult } from './contract/restore-project-backup.js';
import type { ProgressFn } from './backup-progress.js';
import { lockedStep, transaction, type ProjectOptions, type Tx } from './transaction.js';

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
  /**
   * An off-site copy (rclone remote or folder, as for offsitePull) to fetch the ZIP from first when it is missing
   * here; checked against the remote's record before use (`true`: backup.offsite of 04-agents/config.yaml). When it
   * cannot be fetched the git copy is used, with a note.
   */
  from?: string | true;
  /** Told how far it is (the archive checked, then files written so far). */
  onProgress?: ProgressFn;
}

/**
 * Restores a daily or milestone backup into a folder: from its ZIP, or from the git copy when the ZIP is missing or
 * damaged, or from the plain folder copies of a Python SpecMap daily backup. All or nothing. With `from`, a ZIP
 * missing here is first fetched from that off-site copy into its usual place.
 *
 * @example
 * await restoreProjectBackup({ cwd: '/repo', kind: 'daily', name: '2025-10-25', to: '/tmp/recovered' });
 * // → { kind: 'daily', name: '2025-10-25', source: 'zip', destination: '/tmp/recovered/', files: 42, notes: [], fetched: [] }
 */
export async function restoreProjectBackup(opts: RestoreProjectBackupOptions): Promise<RestoreProjectBackupResult> {
  checkProjectBackupName(opts.kind, opts.name);
  const restore = async ({ project, cwd }: Tx, fetched: string[], notes: string[]): Promise<RestoreProjectBackupResult> => {
    const r = await restoreProjectBackupOf(project, {
      kind: opts.kind, name: opts.name, force: opts.force, to: opts.to === undefined ? undefined : toOutputDir(project.root, cwd, opts.to), toShown: opts.to,
      onProgress: opts.onProgress,
    });
    return { ...r, notes: [...notes, ...r.notes], fetched };
  };
  if (opts.from === undefined) return transaction(opts, 'write', (tx) => restore(tx, [], []));
  const from = opts.from;
  // 'read': the download runs without the lock; the restore itself is one locked step.
  return transaction(opts, 'read', async (tx) => {
    const remote = resolveRemote(tx.project, from === true ? undefined : from, tx.cwd);
    const got = await fetchOffsite(tx.project, remote, { kind: opts.kind, name: opts.name });
    const notes: string[] = [];
    const refused = got.backups.find((b) => b.action === 'skipped');
    if (refused) {
      // The git copy still restores it; without one, the reason the off-site copy was refused is the answer.
      const ref = opts.kind === 'daily' ? `refs/backups/daily/${opts.name}` : `refs/tags/milestones/${opts.name}`;
      if ((await readRef(tx.project.git, ref)) === undefined) throw fetchRefusal(refused);
      notes.push(`the off-site copy was not used: ${refused.reason}`);
    } else if (got.backups.length === 0) {
      notes.push(`${remote} has no ${opts.kind} backup ${opts.name}`);
    }
    // Fetched from where a replacing push left it, or over a damaged local copy (moved aside): said, not hidden.
    for (const b of got.backups) if (b.action === 'fetched' && b.reason) notes.push(b.reason);
    return lockedStep(tx.project, () => restore(tx, got.backups.flatMap((b) => b.files), notes));
  });
}
