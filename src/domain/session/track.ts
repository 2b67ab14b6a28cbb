import { SpecmapError } from '../../shared/errors.js';
import { openProject, withProjectLock, type ProjectOptions } from '../project/project.js';
import { loadSession, resolveActiveSession, saveSession } from './store.js';
import { toProjectPath } from '../../storage/fs/project-path.js';

export type TrackAction = 'created' | 'modified';

export interface TrackOptions extends ProjectOptions {
  session: string;
  /** Relative to cwd, or absolute; must resolve inside the project. */
  file: string;
  action: string;
}

export interface TrackResult {
  session: string;
  /** Project-relative POSIX path. */
  path: string;
  action: TrackAction;
  /** Where the file is listed now (a file created in this session stays under `created`). */
  listedAs: TrackAction;
  /** False when the artifact was already recorded that way. */
  changed: boolean;
}

export function checkTrackAction(action: string): TrackAction {
  if (action === 'created' || action === 'modified') return action;
  throw new SpecmapError('INVALID_INPUT', `action must be "created" or "modified", got ${JSON.stringify(action.slice(0, 40))}`);
}

/** Records a file in the session's artifacts: de-duplicated, one list per file, `created` winning over `modified`. */
export async function trackArtifact(opts: TrackOptions): Promise<TrackResult> {
  const action = checkTrackAction(opts.action);
  const project = await openProject(opts);
  const path = toProjectPath(project.root, project.cwd, opts.file);
  return withProjectLock(project, async () => {
    const h = resolveActiveSession(project, opts.session);
    const doc = loadSession(h);
    const { created, modified } = doc.artifacts;
    let listedAs: TrackAction = action;
    let changed = false;
    if (action === 'created') {
      if (!created.includes(path)) {
        created.push(path);
        changed = true;
      }
      const i = modified.indexOf(path);
      if (i >= 0) {
        modified.splice(i, 1);
        changed = true;
      }
    } else if (created.includes(path)) {
      listedAs = 'created';
    } else if (!modified.includes(path)) {
      modified.push(path);
      changed = true;
    }
    if (changed) saveSession(h, doc);
    return { session: h.id, path, action, listedAs, changed };
  });
}
