import { listCheckpoints as listCheckpointsOf } from '../domain/restore/restore.js';
import type { ListCheckpointsResult } from './contract/list-checkpoints.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ListCheckpointsResult } from './contract/list-checkpoints.js';

export interface ListCheckpointsOptions extends ProjectOptions {
  /** Session id, unique prefix, `@` for the only active session, a session of another worktree (a fork's), or one fetched by pull. */
  session: string;
}

/**
 * A session's checkpoints, oldest first, with where a restore would read each one's files from (git, file copies,
 * the session ZIP, or nowhere). Settles queued hook work first, so a commit just made is listed.
 *
 * @example
 * await listCheckpoints({ cwd: '/repo', session: '@' });
 * // → { session_id: '2025-10-25-session-001-auth', checkpoints: [{ checkpoint_id: 'checkpoint-001-…', source: 'git', … }] }
 */
export async function listCheckpoints(opts: ListCheckpointsOptions): Promise<ListCheckpointsResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const r = await listCheckpointsOf(project, { session: opts.session });
    return {
      session_id: r.session,
      checkpoints: r.checkpoints.map((e) => ({
        session_id: e.session, checkpoint_id: e.id, number: e.number, date: e.date, time: e.time, description: e.description, agent: e.agent,
        files: e.files, commit: e.commit ?? null, tag: e.tag ?? null, in_git: e.inGit, source: e.source,
      })),
    };
  });
}
