import { checkStartInput } from '../domain/session/start.js';
import { startConversationExplicitly } from '../domain/agent/agent-event.js';
import type { StartResult } from './contract/start.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { StartResult } from './contract/start.js';

export interface StartOptions extends ProjectOptions {
  /** What the session is about, in a few words (it names the session: 2025-10-25-session-001-<slug>). */
  focus: string;
  /** The agent doing the work; defaults to "claude", as in the spec. */
  agent?: string;
  /** The spec's optional metadata dict, stored in session.yaml. */
  metadata?: Record<string, string>;
  /** A template (04-agents/templates/<name>/ or a built-in one: specify, plan, implement, qa) for the workspace. */
  template?: string;
}

/**
 * Starts a session: the next numbered workspace folder of the day (artifacts/, notes/, decisions/, snapshots/,
 * session.yaml, summary.md, README.md) and the ref `refs/sessions/<id>` at HEAD (an empty root commit when the
 * repository has none). Creates the 04-agents layout when it is missing. With `metadata.agent_session_id` (an agent
 * conversation's id, which specmap's Claude Code hook adds to the session_start tool's input), a conversation that
 * already has its session gets that one named and focused (`existing: true`) instead of a second one.
 *
 * @example
 * await start({ cwd: '/repo', focus: 'authentication feature' });
 * // → { session_id: '2025-10-25-session-001-authentication-feature', workspace: '04-agents/sessions/active/2025-10-25-session-001-authentication-feature/', git_ref: 'refs/sessions/…', … }
 */
export async function start(opts: StartOptions): Promise<StartResult> {
  // Bad input fails before the project is even looked for.
  checkStartInput(opts);
  return transaction(opts, 'write', async ({ project }) => {
    const r = await startConversationExplicitly(project, opts);
    const w = r.workspace;
    return {
      session_id: r.id, focus: r.focus, agent: r.agent, date: r.date, start_time: r.startTime, workspace: w,
      paths: { artifacts: `${w}artifacts/`, notes: `${w}notes/`, decisions: `${w}decisions/`, snapshots: `${w}snapshots/`, session_file: `${w}session.yaml` },
      git_ref: r.ref, base_commit: r.baseCommit, empty_base: r.emptyBase, initialized: r.initialized, existing: r.existing,
    };
  });
}
