import { settle } from './settle.js';
import { SpecmapError, isSpecmapError } from './errors.js';
import type { SessionState } from './layout.js';
import { openProject, type ProjectOptions } from './project.js';
import { listSessionHandles, loadSession } from './session-store.js';

export interface ListOptions extends ProjectOptions {
  /** Include archived (completed) sessions. */
  all?: boolean;
}

export interface SessionSummary {
  id: string;
  state: SessionState;
  status: string;
  date: string;
  startTime: string;
  endTime: string | null;
  focus: string;
  agent: string;
  checkpoints: number;
  filesCreated: number;
  filesModified: number;
  rulemapScore: number | null;
  workspace: string;
}

export interface ListResult {
  sessions: SessionSummary[];
  /** Sessions whose session.yaml could not be read: one sentence each. */
  problems: string[];
}

/** Lists sessions, active first then archived, each oldest first. Unreadable session files are reported, not fatal. */
export async function listSessions(opts: ListOptions = {}): Promise<ListResult> {
  const project = await openProject(opts);
  await settle(project);
  const states: SessionState[] = opts.all ? ['active', 'archive'] : ['active'];
  const sessions: SessionSummary[] = [];
  const problems: string[] = [];
  for (const state of states) {
    for (const h of listSessionHandles(project, [state])) {
      try {
        const doc = loadSession(h);
        sessions.push({
          id: h.id,
          state,
          status: doc.session.status,
          date: doc.session.date,
          startTime: doc.session.start_time,
          endTime: doc.session.end_time,
          focus: doc.session.focus,
          agent: doc.session.agent,
          checkpoints: doc.checkpoints.length,
          filesCreated: doc.artifacts.created.length,
          filesModified: doc.artifacts.modified.length,
          rulemapScore: doc.rulemap_score,
          workspace: `${h.relDir}/`,
        });
      } catch (err) {
        if (!isSpecmapError(err)) throw err;
        problems.push(err.message);
      }
    }
  }
  return { sessions, problems };
}

/** The error a front door reports after listing when some session files were unreadable. */
export function listProblemsError(problems: string[]): SpecmapError {
  return new SpecmapError('CORRUPT_DATA', `${problems.length} session file(s) could not be read (see above)`);
}
