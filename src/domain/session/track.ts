import { lstatSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import { isSpecmapFile } from './artifacts.js';
import type { Project } from '../project/project.js';
import { loadSession, saveSession } from './store.js';
import { resolveActiveSession } from './lookup.js';

export type TrackAction = 'created' | 'modified';

export interface TrackInput {
  session: string;
  /** Project-relative POSIX path, already checked (api/ resolves the user's path). */
  path: string;
  action: TrackAction;
}

export interface TrackOutcome {
  session: string;
  path: string;
  action: TrackAction;
  /** Where the file is listed now (a file created in this session stays under `created`). */
  listedAs: TrackAction;
  /** False when the artifact was already recorded that way. */
  changed: boolean;
}

/** The action, checked: INVALID_INPUT unless it is "created" or "modified". */
export function checkTrackAction(action: string): TrackAction {
  if (action === 'created' || action === 'modified') return action;
  throw new SpecmapError('INVALID_INPUT', `action must be "created" or "modified", got ${JSON.stringify(action.slice(0, 40))}`, { kind: 'action' });
}

/**
 * A path a person names as an artifact, checked: INVALID_INPUT for specmap's own records (04-agents/, TRACKING.md),
 * a file that is not there, or a folder (its files are the artifacts).
 */
export function checkArtifactPath(project: Project, path: string): void {
  if (isSpecmapFile(path)) {
    throw new SpecmapError('INVALID_INPUT', `${path} is one of specmap's own records, not a session artifact`, { kind: 'managed-path' });
  }
  let st;
  try {
    st = lstatSync(abs(project.root, path));
  } catch {
    throw new SpecmapError('INVALID_INPUT', `${path}: no such file; track a file the session created or changed`, { kind: 'missing-file' });
  }
  if (st.isDirectory()) throw new SpecmapError('INVALID_INPUT', `${path} is a folder; track the files in it`, { kind: 'folder' });
}

/** Records a file in the session's artifacts: de-duplicated, one list per file, `created` winning over `modified`. Lock held. */
export async function trackArtifact(project: Project, input: TrackInput): Promise<TrackOutcome> {
  const { path, action } = input;
  const h = await resolveActiveSession(project, input.session, "'specmap track'");
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
}
