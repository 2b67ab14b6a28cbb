import { applyMerge, mergeResultOf, planMerge } from '../domain/remote/merge.js';
import type { MergeResult } from './contract/merge.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { MergeResult } from './contract/merge.js';

export interface MergeOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@`. */
  session: string;
  /** The branch to commit onto (default: the checked-out one; CONFLICT with details.kind 'detached-head' when there is none). */
  into?: string;
  /** Replaces the generated subject line (the session focus). */
  message?: string;
  /** Work out the commit and report it, but move no branch and touch no index (`dry_run: true` in the result). */
  dryRun?: boolean;
}

/**
 * Turns a session's final checkpoint into one ordinary commit on a branch, like a squash merge (three-way when the
 * branch moved; a conflict changes nothing). The work tree is never written; on the checked-out branch the index
 * follows the new commit for the files it changed. `dryRun` runs the same plan and stops before the branch moves:
 * its `commit` is the one the merge would write at this moment (made in a throwaway object store), and the same
 * refusals (conflict, nothing to merge) are errors.
 *
 * @example
 * await merge({ cwd: '/repo', session: '@' });
 * // → { session_id: '2025-10-25-session-001-auth', branch: 'main', commit: '4f1c…', parent: '9a2b…', files: ['src/auth.ts'], merged: false }
 */
export async function merge(opts: MergeOptions): Promise<MergeResult> {
  return transaction(opts, opts.dryRun ? 'dry-run' : 'write', async ({ project, queuedWork }) => {
    const plan = await planMerge(project, { session: opts.session, into: opts.into, message: opts.message });
    const r = opts.dryRun ? mergeResultOf(plan) : await applyMerge(project, plan);
    const result: MergeResult = { session_id: r.session, branch: r.branch, commit: r.commit, parent: r.parent, files: r.files, merged: r.merged };
    return opts.dryRun ? { ...result, dry_run: true, queued_work: queuedWork ?? [] } : result;
  });
}
