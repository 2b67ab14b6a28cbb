import { isAbsolute, resolve } from 'node:path';
import { forkSession } from '../domain/session/fork.js';
import { checkAgent, checkFocus } from '../shared/ids.js';
import { SpecmapError } from '../shared/errors.js';
import type { CheckpointSpec } from '../shared/checkpoint-spec.js';
import type { ForkResult } from './contract/fork.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ForkResult } from './contract/fork.js';

export interface ForkOptions extends ProjectOptions {
  /** The checkpoint to start from: a session (id, unique prefix or `@`; in any worktree) and a checkpoint (id, prefix or `~N`). */
  from: CheckpointSpec;
  /** The new session's focus (default: the parent's). */
  focus?: string;
  /** The agent working in the fork (default: the parent's). */
  agent?: string;
  /** Where to put the new worktree (relative to `cwd`, or absolute; absent or an empty folder). Default: `../<main worktree's name>-<new id>`. */
  worktree?: string;
}

/**
 * Forks a session at one of its checkpoints: a new session whose base is that checkpoint's project state, in a new
 * linked worktree of its own (detached HEAD, no branch created), with `forked_from` in its session.yaml and a
 * `Forked-From` trailer on its base commit. Run each agent in its own fork; `compare` puts them side by side,
 * `merge` takes the chosen one, `end --discard` removes a losing worktree. Every command and agent hook works in
 * the fork's worktree as in any other.
 *
 * @example
 * await fork({ cwd: '/repo', from: { session: '@', checkpoint: '~0' }, agent: 'codex' });
 * // → { session_id: '2025-10-25-session-002-auth', worktree: '/repo-2025-10-25-session-002-auth', forked_from: { session_id: '2025-10-25-session-001-auth', checkpoint_id: 'checkpoint-002-14-35-00', … }, … }
 */
export async function fork(opts: ForkOptions): Promise<ForkResult> {
  // Bad input fails before the project is even looked for.
  if (opts.focus !== undefined) checkFocus(opts.focus);
  if (opts.agent !== undefined) checkAgent(opts.agent);
  if (opts.worktree !== undefined && (opts.worktree.length === 0 || opts.worktree.includes('\0'))) {
    throw new SpecmapError('INVALID_INPUT', 'the worktree folder is empty or holds a NUL byte', { kind: 'worktree' });
  }
  return transaction(opts, 'write', async ({ project, cwd }) => {
    const worktree = opts.worktree === undefined ? undefined : isAbsolute(opts.worktree) ? resolve(opts.worktree) : resolve(cwd, opts.worktree);
    const r = await forkSession(project, { from: opts.from, focus: opts.focus, agent: opts.agent, worktree });
    return {
      session_id: r.id, focus: r.focus, agent: r.agent, date: r.date, start_time: r.startTime, worktree: r.worktree, workspace: r.workspace,
      git_ref: r.ref, base_commit: r.baseCommit,
      forked_from: { session_id: r.forkedFrom.session, checkpoint_id: r.forkedFrom.checkpoint, commit: r.forkedFrom.commit },
      parent_worktree: r.parentWorktree,
    };
  });
}
