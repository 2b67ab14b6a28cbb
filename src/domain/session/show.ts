import { resolveAnySession } from './lookup.js';
import { settle } from '../project/settle.js';
import type { SessionState } from '../../shared/layout.js';
import { openProject, type ProjectOptions } from '../project/project.js';
import { loadSession } from './store.js';
import type { SessionDoc } from './session-file.js';
import { readRef } from '../../storage/git/index.js';
import { sessionRefName } from '../../shared/layout.js';

export interface ShowOptions extends ProjectOptions {
  session: string;
}

export interface ShowResult {
  id: string;
  state: SessionState | 'remote';
  workspace: string;
  /** The session ref and where it points now (undefined for sessions with no git side). */
  ref: string;
  refTarget: string | undefined;
  doc: SessionDoc;
}

/** Everything recorded about one session. */
export async function showSession(opts: ShowOptions): Promise<ShowResult> {
  const project = await openProject(opts);
  await settle(project);
  const h = await resolveAnySession(project, opts.session);
  const doc = loadSession(h);
  const ref = sessionRefName(h.id);
  return { id: h.id, state: h.state, workspace: `${h.relDir}/`, ref, refTarget: await readRef(project.git, ref), doc };
}
