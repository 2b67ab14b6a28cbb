import { diskUsage as diskUsageOf } from '../domain/storage-use/disk-usage.js';
import type { DiskUsageResult } from './contract/disk-usage.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { DiskUsageResult } from './contract/disk-usage.js';

export interface DiskUsageOptions extends ProjectOptions {
  /** Only this session (id, unique prefix or `@`); every session when omitted. The totals cover them all. */
  session?: string;
}

/**
 * What specmap costs on disk: per session its checkpoints, the git objects only its refs hold (as git counts
 * them: `git rev-list --objects-edge-aggressive --disk-usage` beyond the user's branches and tags), its transcript's share, its
 * ZIP and its folder; then daily and milestone backups, turn baselines, fetched refs and the loose objects.
 * Changes nothing.
 *
 * @example
 * await diskUsage({ cwd: '/repo', session: '@' });
 * // → { sessions: [{ session_id: '2025-10-25-session-001-auth', state: 'active', checkpoints: 3, git_bytes: 18234, … }], totals: { … }, objects: { loose_count: 212, … } }
 */
export async function diskUsage(opts: DiskUsageOptions = {}): Promise<DiskUsageResult> {
  return transaction(opts, 'read', ({ project }) => diskUsageOf(project, { session: opts.session }));
}
