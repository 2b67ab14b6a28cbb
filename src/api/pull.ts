import { pullSessions } from '../domain/remote/sync.js';
import type { PullResult } from './contract/pull.js';
import { transaction, type ProjectOptions } from './transaction.js';
import type { ProgressFn } from './backup-progress.js';

export type { PullResult } from './contract/pull.js';

export interface PullOptions extends ProjectOptions {
  /** The remote (default: the current branch's upstream, else origin). */
  remote?: string;
  /** Told how far git's fetch is (with `--progress`: its steps, objects and bytes). */
  onProgress?: ProgressFn;
}

/**
 * Fetches a remote's sessions, checkpoint tags and backup refs into refs/remotes/<remote>/…; local sessions and
 * refs are never touched. Fetched sessions are then listed by `list --remote` and readable by show, log, restore.
 *
 * @example
 * await pull({ cwd: '/repo' });
 * // → { remote: 'origin', sessions: [{ session_id: '2025-10-25-session-001-auth', local: false }] }
 */
export async function pull(opts: PullOptions = {}): Promise<PullResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const r = await pullSessions(project, { remote: opts.remote, onProgress: opts.onProgress });
    return { remote: r.remote, sessions: r.sessions.map((s) => ({ session_id: s.id, local: s.local })) };
  });
}
