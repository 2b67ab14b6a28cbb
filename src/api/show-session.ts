import { showSession as showSessionIn } from '../domain/session/show.js';
import type { ShowSessionResult } from './contract/show-session.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ShowSessionResult } from './contract/show-session.js';

export interface ShowSessionOptions extends ProjectOptions {
  /** Session id, unique prefix, or `@`; a session of another worktree (a fork's) or fetched by `pull` is found too. */
  session: string;
}

/**
 * Everything recorded about one session: its facts, artifacts, checkpoints and metrics, the ref's target, and the
 * whole session.yaml as `document`.
 *
 * @example
 * await showSession({ cwd: '/repo', session: '2025-10-25-session-001' });
 * // → { session_id: '2025-10-25-session-001-auth', state: 'archive', status: 'completed', checkpoints: [{ checkpoint_id: 'checkpoint-001-14-35-00', … }], … }
 */
export async function showSession(opts: ShowSessionOptions): Promise<ShowSessionResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const r = await showSessionIn(project, opts.session);
    const { doc } = r;
    const s = doc.session;
    const m = doc.metrics;
    return {
      session_id: r.id, state: r.state, status: s.status, focus: s.focus, agent: s.agent,
      ...(typeof s.user === 'string' ? { user: s.user } : {}),
      date: s.date, start_time: s.start_time, end_time: s.end_time,
      ...(typeof s.end_date === 'string' ? { end_date: s.end_date } : {}),
      workspace: r.workspace, ...(r.worktree ? { worktree: r.worktree } : {}), git_ref: r.ref, ref_target: r.refTarget ?? null,
      metadata: Object.fromEntries(Object.entries(doc.metadata ?? {}).map(([k, v]) => [k, String(v)])),
      artifacts: { created: doc.artifacts.created, modified: doc.artifacts.modified },
      checkpoints: doc.checkpoints.map((c) => ({
        checkpoint_id: c.id, time: c.time, description: c.description, files: c.files_snapshot, commit: typeof c.commit === 'string' ? c.commit : null,
      })),
      metrics: {
        ...(m.duration_minutes !== undefined ? { duration_minutes: m.duration_minutes } : {}),
        ...(m.files_created !== undefined ? { files_created: m.files_created } : {}),
        ...(m.files_modified !== undefined ? { files_modified: m.files_modified } : {}),
        ...(m.checkpoints !== undefined ? { checkpoints: m.checkpoints } : {}),
      },
      rulemap_score: doc.rulemap_score,
      document: doc,
    };
  });
}
