import { checkPruneOptions, pruneBackups as pruneBackupsOf } from '../domain/backup/prune.js';
import type { PruneBackupsResult } from './contract/prune-backups.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { PruneBackupsResult } from './contract/prune-backups.js';

export interface PruneBackupsOptions extends ProjectOptions {
  /** Newest daily backups to keep (default 14). */
  keepDaily?: number;
  /** Newest milestones to keep; omitted keeps them all. */
  keepMilestones?: number;
  /** Newest session ZIPs of archived sessions to keep; omitted keeps them all. */
  keepSessions?: number;
  /** Report what would be deleted and delete nothing. */
  dryRun?: boolean;
}

/**
 * Deletes the oldest backups beyond what is kept, each with its manifest, checksum and git copy. Session ZIPs of
 * active sessions are never pruned, and an archived session's ZIP only when git (its checkpoints, its transcript)
 * and the archived folder hold everything in it, the check `gc` makes; the others are kept and listed in
 * `held_back` with the reason.
 *
 * @example
 * await pruneBackups({ cwd: '/repo', keepDaily: 7, dryRun: true });
 * // → { dry_run: true, deleted: [{ kind: 'daily', name: '2025-10-01', paths: ['04-agents/backups/daily/2025-10-01/', 'refs/backups/daily/2025-10-01'] }], held_back: [], kept: 9 }
 */
export async function pruneBackups(opts: PruneBackupsOptions = {}): Promise<PruneBackupsResult> {
  const input = { keepDaily: opts.keepDaily, keepMilestones: opts.keepMilestones, keepSessions: opts.keepSessions, dryRun: opts.dryRun };
  checkPruneOptions(input);
  return transaction(opts, 'write', async ({ project }) => {
    const r = await pruneBackupsOf(project, input);
    return { dry_run: r.dryRun, deleted: r.deleted, held_back: r.heldBack, kept: r.kept };
  });
}
