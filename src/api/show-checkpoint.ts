import { showCheckpoint as showCheckpointIn } from '../domain/checkpoint/show.js';
import type { ShowCheckpointResult } from './contract/show-checkpoint.js';
import { logEntryOf } from './log-entry.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ShowCheckpointResult } from './contract/show-checkpoint.js';

export interface ShowCheckpointOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@`; a session of another worktree (a fork's) or a fetched one is found too. */
  session: string;
  /** Checkpoint id, unique prefix, or `~N` (N before the newest; `~0` is the newest). */
  checkpoint: string;
  color?: boolean;
  /** Also the agent prompts that led to the checkpoint (from the transcript stored with it). */
  transcript?: boolean;
}

/**
 * One checkpoint with its diffstat and patch against its parent, like `git show`.
 *
 * @example
 * await showCheckpoint({ cwd: '/repo', session: '@', checkpoint: '~0' });
 * // → { session_id: '2025-10-25-session-001-auth', checkpoint_id: 'checkpoint-002-15-00-00', stat: ' src/auth.ts | 4 ++++\n…', patch: 'diff --git …', … }
 */
export async function showCheckpoint(opts: ShowCheckpointOptions): Promise<ShowCheckpointResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const e = await showCheckpointIn(project, opts);
    return { ...logEntryOf(e), ...(e.prompts ? { prompts: e.prompts } : {}) };
  });
}
