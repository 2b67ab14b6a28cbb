import { diffCheckpoints } from '../domain/checkpoint/show.js';
import type { CheckpointSpec } from '../shared/checkpoint-spec.js';
import type { DiffResult } from './contract/diff.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { DiffResult } from './contract/diff.js';
export type { CheckpointSpec } from '../shared/checkpoint-spec.js';

export interface DiffOptions extends ProjectOptions {
  /** The checkpoint to diff from: a session reference (any worktree's) and a checkpoint reference (id, unique prefix or `~N`). */
  from: CheckpointSpec;
  /** The checkpoint to diff to (any session); omitted, the working tree as the next checkpoint would see it. */
  to?: CheckpointSpec;
  /** Only a diffstat. */
  stat?: boolean;
  color?: boolean;
}

/**
 * What changed between two checkpoints, or between a checkpoint and the working tree (untracked files included),
 * as git's unified diff.
 *
 * @example
 * await diff({ cwd: '/repo', from: { session: '@', checkpoint: '~1' }, to: { session: '@', checkpoint: '~0' } });
 * // → { from: { session_id: '…', checkpoint_id: 'checkpoint-001-14-35-00', commit: '…' }, to: { … }, diff: 'diff --git a/src/auth.ts …' }
 */
export async function diff(opts: DiffOptions): Promise<DiffResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const r = await diffCheckpoints(project, opts);
    const end = (e: { session: string; id: string; commit: string }) => ({ session_id: e.session, checkpoint_id: e.id, commit: e.commit });
    return { from: end(r.from), to: r.to === 'working tree' ? null : end(r.to), diff: r.text };
  });
}
