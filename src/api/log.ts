import { checkpointLog } from '../domain/session/log.js';
import type { LogResult } from './contract/log.js';
import { logEntryOf } from './log-entry.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { LogEntry, LogResult } from './contract/log.js';

export interface LogOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@` (the default); ignored with `all`. A session of another worktree (a fork's) or a fetched one is found too. */
  session?: string;
  /** Every local session's checkpoints, merged by time. */
  all?: boolean;
  /** At most this many checkpoints (the newest). */
  limit?: number;
  /** Include a diffstat per checkpoint. */
  stat?: boolean;
  /** Include the patch per checkpoint. */
  patch?: boolean;
  /** Colour the diffs with git's terminal colours. */
  color?: boolean;
}

/**
 * Checkpoints newest first, like `git log`: one session's, or every session's merged by time.
 *
 * @example
 * await log({ cwd: '/repo', session: '@', limit: 1 });
 * // → { checkpoints: [{ session_id: '2025-10-25-session-001-auth', checkpoint_id: 'checkpoint-002-15-00-00', number: 2, source: 'git', … }] }
 */
export async function log(opts: LogOptions = {}): Promise<LogResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const entries = await checkpointLog(project, opts);
    return { checkpoints: entries.map(logEntryOf) };
  });
}
