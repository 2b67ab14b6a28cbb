import { checkArtifactPath, checkTrackAction, trackArtifact } from '../domain/session/track.js';
import { toProjectPath } from '../storage/fs/project-path.js';
import type { TrackResult } from './contract/track.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { TrackResult } from './contract/track.js';

export interface TrackOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@` for the only active session. */
  session: string;
  /** The file: relative to `cwd`, or absolute; it must resolve inside the project. */
  file: string;
  action: 'created' | 'modified';
}

/**
 * Records a file the session created or modified in its session.yaml artifacts (de-duplicated; a file created in
 * the session stays `created`). INVALID_INPUT for a file that is not there, a folder, or specmap's own records
 * (04-agents/, TRACKING.md).
 *
 * @example
 * await track({ cwd: '/repo', session: '@', file: 'src/auth.ts', action: 'created' });
 * // → { session_id: '2025-10-25-session-001-auth', file_path: 'src/auth.ts', action: 'created', listed_as: 'created', changed: true }
 */
export async function track(opts: TrackOptions): Promise<TrackResult> {
  const action = checkTrackAction(opts.action);
  return transaction(opts, 'write', async ({ project, cwd }) => {
    const path = toProjectPath(project.root, cwd, opts.file);
    checkArtifactPath(project, path);
    const r = await trackArtifact(project, { session: opts.session, path, action });
    return { session_id: r.session, file_path: r.path, action: r.action, listed_as: r.listedAs, changed: r.changed };
  });
}
