import { checkGcInput, collectGarbage } from '../domain/storage-use/gc.js';
import type { GcResult } from './contract/gc.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { GcResult } from './contract/gc.js';

export interface GcOptions extends ProjectOptions {
  /** Newest ZIPs of archived sessions to keep (default: retention.session_zips, else 10). */
  keepSessionZips?: number;
  /** Keep session ZIPs younger than this many days (default: retention.session_zip_days, else no age rule). */
  olderThanDays?: number;
  /** Prune daily backups to this many, as `backup prune` does (default: retention.daily, else none pruned). */
  keepDaily?: number;
  /** Prune milestones to this many (default: retention.milestones, else none pruned). */
  keepMilestones?: number;
  /** Drop safety snapshots older than this many days whose content other refs hold (default: retention.safety_days, else 30). */
  safetyOlderThanDays?: number;
  /** Also drop old safety snapshots that hold content nothing else has (default: retention.drop_unique_safety, else false). */
  dropUniqueSafety?: boolean;
  /** Report what would be removed and packed, and change nothing. */
  dryRun?: boolean;
}

/**
 * Applies the retention policy and packs loose objects, never deleting the last copy of anything: a session ZIP
 * goes only when git still holds every checkpoint's objects and its transcript and the archived folder holds the
 * rest (checked byte for byte against the ZIP's manifest); a safety snapshot only when other refs hold its content;
 * daily and milestone backups only when a count is given. Then, when there are more loose objects than git's
 * gc.auto, `git repack -d -l` packs them.
 *
 * @example
 * await gc({ cwd: '/repo', keepSessionZips: 5, dryRun: true });
 * // → { dry_run: true, removed: [{ kind: 'session_zip', name: '2025-09-01-session-001-auth', paths: ['04-agents/backups/sessions/…-backup.zip', …], bytes: 48211 }], held_back: [], … }
 */
export async function gc(opts: GcOptions = {}): Promise<GcResult> {
  const input = {
    keepSessionZips: opts.keepSessionZips, sessionZipDays: opts.olderThanDays, keepDaily: opts.keepDaily, keepMilestones: opts.keepMilestones,
    safetyDays: opts.safetyOlderThanDays, dropUniqueSafety: opts.dropUniqueSafety, dryRun: opts.dryRun,
  };
  checkGcInput(input);
  return transaction(opts, 'write', ({ project }) => collectGarbage(project, input));
}
