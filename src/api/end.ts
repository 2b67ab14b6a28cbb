import { endSession } from '../domain/session/end.js';
import { parseScore } from '../shared/ids.js';
import type { EndResult } from './contract/end.js';
import { transaction, type ProjectOptions } from './transaction.js';
import type { ProgressFn } from './backup-progress.js';

export type { EndResult } from './contract/end.js';

export interface EndOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@` for the only active session. */
  session: string;
  /** RULEMAP score, 0 to 10 (a number or its text). */
  score?: string | number;
  /** Write the session ZIP now (default), queue it for the next command ('deferred'), or skip it (false). */
  backup?: boolean | 'deferred';
  /** Told how far the session ZIP is (checkpoint files read from git, then entries written). */
  onProgress?: ProgressFn;
}

/**
 * Ends a session: final metadata and metrics, the ZIP backup, the move to sessions/archive/, the day's summary
 * and TRACKING.md, all under one lock. A failed backup changes nothing.
 *
 * @example
 * await end({ cwd: '/repo', session: '@', score: 8.5 });
 * // → { session_id: '2025-10-25-session-001-auth', duration_minutes: 42, rulemap_score: 8.5, backup: { path: '04-agents/backups/sessions/…-backup.zip', … }, … }
 */
export async function end(opts: EndOptions): Promise<EndResult> {
  const score = opts.score === undefined ? undefined : parseScore(opts.score);
  return transaction(opts, 'write', async ({ project }) => {
    const r = await endSession(project, { session: opts.session, score, backup: opts.backup, onProgress: opts.onProgress });
    return {
      session_id: r.id, duration_minutes: r.durationMinutes, files_created: r.filesCreated, files_modified: r.filesModified,
      checkpoints: r.checkpoints, rulemap_score: r.rulemapScore, archive: r.archive,
      backup: r.backup ? { path: r.backup.path, entries: r.backup.entries, bytes: r.backup.bytes, ...(r.backup.pending ? { pending: true } : {}) } : null,
      summary_file: r.summaryFile, tracking_file: r.trackingFile, warnings: r.warnings,
    };
  });
}
