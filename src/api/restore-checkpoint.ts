import { restoreCheckpoint as restoreCheckpointOf } from '../domain/restore/restore.js';
import { SpecmapError } from '../shared/errors.js';
import { toProjectPath } from '../storage/fs/project-path.js';
import type { RestoreCheckpointResult } from './contract/restore-checkpoint.js';
import type { ProgressFn } from './backup-progress.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { RestoreCheckpointResult } from './contract/restore-checkpoint.js';

export interface RestoreCheckpointOptions extends ProjectOptions {
  /**
   * Session id, unique prefix, or `@` for the only active session; a session of another worktree (a fork's) too: its
   * checkpoint comes out in this worktree, and an in-place restore's safety checkpoint goes to this worktree's session.
   */
  session: string;
  /** Checkpoint id, unique prefix, or `~N` (N before the newest). */
  checkpoint: string;
  /** Write into the working tree (after a safety checkpoint) instead of a -restored folder. */
  inPlace?: boolean;
  /** Only these files or folders: relative to `cwd`, or absolute; each must resolve inside the project. */
  paths?: string[];
  /** Replace an existing -restored folder. */
  force?: boolean;
  /**
   * With `inPlace`: work out and check the restore exactly as the real one does, and change nothing: `written` and
   * `deleted` are what it would write and remove, `safety.commit` is null (`dry_run: true`).
   */
  dryRun?: boolean;
  /** Told how far it is (files written so far). */
  onProgress?: ProgressFn;
}

/**
 * Brings back a checkpoint's files, from git, or from file copies or the session ZIP when the git objects are gone.
 * By default into 04-agents/sessions/active/<session>-<checkpoint>-restored/; `inPlace` writes the working tree
 * after a safety checkpoint, all or nothing, and the result says how to undo it.
 *
 * @example
 * await restoreCheckpoint({ cwd: '/repo', session: '@', checkpoint: '~1', inPlace: true, paths: ['src/auth.ts'] });
 * // → { session_id: '…', checkpoint_id: 'checkpoint-002-…', source: 'git', destination: '.', written: ['src/auth.ts'],
 * //     deleted: [], skipped: [], safety: { session_id: '…', checkpoint_id: 'checkpoint-004-…', commit: '…', undo: 'specmap restore …' } }
 */
export async function restoreCheckpoint(opts: RestoreCheckpointOptions): Promise<RestoreCheckpointResult> {
  if (opts.dryRun && !opts.inPlace) throw new SpecmapError('USAGE', 'a dry run of a restore goes with --in-place', { kind: 'dry-run' });
  return transaction(opts, opts.dryRun ? 'dry-run' : 'write', async ({ project, cwd, queuedWork }) => {
    const paths = opts.paths?.map((p) => toProjectPath(project.root, cwd, p));
    const r = await restoreCheckpointOf(project, {
      session: opts.session, checkpoint: opts.checkpoint, inPlace: opts.inPlace, paths, force: opts.force, dryRun: opts.dryRun, onProgress: opts.onProgress,
    });
    const result: RestoreCheckpointResult = {
      session_id: r.session, checkpoint_id: r.checkpoint, source: r.source, destination: r.destination, written: r.written, deleted: r.deleted,
      skipped: r.skipped,
      safety: r.safety ? { session_id: r.safety.session, checkpoint_id: r.safety.checkpoint, commit: r.safety.commit, undo: r.safety.undo } : null,
    };
    return opts.dryRun ? { ...result, dry_run: true, queued_work: queuedWork ?? [] } : result;
  });
}
