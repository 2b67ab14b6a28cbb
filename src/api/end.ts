import { endSession } from '../domain/session/end.js';
import { checkDiscard, discardWorktree, placeForDiscard } from '../domain/session/discard.js';
import { parseScore } from '../shared/ids.js';
import { SpecmapError } from '../shared/errors.js';
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
  /**
   * Also remove the session's linked worktree (one `fork` made), from another worktree: refused unless every file
   * there is in the last checkpoint and the worktree holds nothing else that would be lost; the ZIP is verified and,
   * with the archived folder, copied into this worktree first. Refs and tags are kept. Runs again after an
   * interruption (a session already ended there is only discarded).
   */
  discard?: boolean;
  /** With discard: also delete the git-ignored files of the worktree (build output, dependencies), which no checkpoint has. */
  force?: boolean;
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
  if (opts.discard) return endAndDiscard(opts, score);
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

async function endAndDiscard(opts: EndOptions, score: number | undefined): Promise<EndResult> {
  if (opts.backup === false || opts.backup === 'deferred') {
    throw new SpecmapError('USAGE', '--discard keeps the session in its ZIP: it cannot go with --no-backup', { kind: 'discard-no-backup' });
  }
  return transaction(opts, 'write', async ({ project }) => {
    const placed = await placeForDiscard(project, opts.session);
    const check = await checkDiscard(project, placed, opts.force === true);
    let warnings: string[] = [];
    if (placed.handle.state === 'active') {
      warnings = (await endSession(placed.project, { session: placed.handle.id, score, backup: true, onProgress: opts.onProgress })).warnings;
    } else if (score !== undefined) {
      throw new SpecmapError('CONFLICT', `${placed.handle.id} is already completed; its RULEMAP score stays as it is (run again without one)`, { kind: 'archived' });
    }
    const d = await discardWorktree(project, placed, check);
    const m = d.doc.metrics;
    return {
      session_id: placed.handle.id, duration_minutes: m.duration_minutes ?? 0, files_created: m.files_created ?? 0, files_modified: m.files_modified ?? 0,
      checkpoints: m.checkpoints ?? 0, rulemap_score: d.doc.rulemap_score, archive: d.archive,
      backup: d.backup,
      summary_file: d.summaryFile, tracking_file: d.trackingFile, warnings,
      discarded: { worktree: d.worktree, archive: d.archive, backup: d.backup.path, kept_refs: d.refs, deleted_ignored: d.deletedIgnored },
    };
  });
}
