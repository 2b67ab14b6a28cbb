import { doctor as doctorOf } from '../domain/doctor/doctor.js';
import { settleWork } from '../domain/project/settle.js';
import { withScratchObjects } from '../storage/git/scratch-objects.js';
import type { DoctorResult } from './contract/doctor.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { DoctorResult } from './contract/doctor.js';

export interface DoctorOptions extends ProjectOptions {
  /** Repair what can be repaired without losing anything. */
  fix?: boolean;
  /**
   * Check, and list what `fix` would repair (the findings with `fixable: true`), repairing nothing: the same checks
   * and plan as `fix` makes, with `fixed: 0` and `dry_run: true`.
   */
  dryRun?: boolean;
}

/**
 * Checks every session folder, session.yaml, ref, tag and backup against each other; with `fix`, finishes
 * interrupted ends, records checkpoints that reached git but not session.yaml, recreates missing tags and refs,
 * re-exports lost backups from their git copies and removes specmap's own leftover temp files.
 *
 * @example
 * await doctor({ cwd: '/repo', fix: true });
 * // → { findings: [{ check: 'missing-tag', subject: 'refs/tags/checkpoints/…', message: '…', fixable: true, fixed: true }], fixed: 1, remaining: 0 }
 */
export async function doctor(opts: DoctorOptions = {}): Promise<DoctorResult> {
  // 'open': doctor takes the lock itself and settles only when fixing (settling first would hide what it reports).
  return transaction(opts, 'open', async ({ project }) => {
    if (!opts.dryRun) return doctorOf(project, { fix: opts.fix });
    const r = await withScratchObjects(project.git, () => doctorOf(project, { fix: true, dryRun: true }));
    return { ...r, dry_run: true, queued_work: settleWork(project) };
  });
}
