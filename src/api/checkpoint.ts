import { checkDescription, createCheckpoint } from '../domain/checkpoint/checkpoint.js';
import { toProjectPath } from '../storage/fs/project-path.js';
import type { CheckpointResult } from './contract/checkpoint.js';
import { transaction, type ProjectOptions } from './transaction.js';
import type { ProgressFn } from './backup-progress.js';

export type { CheckpointResult } from './contract/checkpoint.js';

export interface CheckpointOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@` for the only active session. */
  session: string;
  /** What state the work is in (at most 2000 characters). */
  description: string;
  /** Files or folders to snapshot (relative to `cwd`, or absolute inside the project); none means every change. */
  files?: string[];
  /** Write a checkpoint even when nothing changed. */
  allowEmpty?: boolean;
  /** Told how far it is (files git has taken so far, then the records being written). */
  onProgress?: ProgressFn;
}

/**
 * Takes a checkpoint: one commit on the session ref (the previous checkpoint's tree with the chosen files brought
 * up to date), tagged refs/tags/checkpoints/<session>/<id> and recorded in session.yaml and snapshots/<id>.yaml.
 * The user's index, HEAD and files are not touched.
 *
 * @example
 * await checkpoint({ cwd: '/repo', session: '@', description: 'Login works' });
 * // → { session_id: '2025-10-25-session-001-auth', checkpoint_id: 'checkpoint-001-14-35-00', commit: '3f2a…', files: [{ path: 'src/auth.ts', status: 'added' }], … }
 */
export async function checkpoint(opts: CheckpointOptions): Promise<CheckpointResult> {
  const description = checkDescription(opts.description);
  return transaction(opts, 'write', async ({ project, cwd }) => {
    const paths = opts.files?.map((f) => toProjectPath(project.root, cwd, f));
    const r = await createCheckpoint(project, { session: opts.session, description, paths, allowEmpty: opts.allowEmpty, onProgress: opts.onProgress });
    return {
      session_id: r.session, checkpoint_id: r.id, time: r.time, description: r.description, commit: r.commit, parent: r.parent,
      tag: r.tag, git_ref: r.ref, files: r.files, manifest: r.manifest, skipped_secrets: r.skippedSecrets,
    };
  });
}
