import { compareSessions, type ComparedSession as Compared } from '../domain/session/compare.js';
import { SpecmapError } from '../shared/errors.js';
import type { CompareResult, ComparedSession } from './contract/compare.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { CompareResult, ComparedSession } from './contract/compare.js';

export interface CompareOptions extends ProjectOptions {
  /** Two or more sessions: ids or unique prefixes, in any worktree of the repository. */
  sessions: string[];
  /**
   * A command line (the test suite) run through the shell at each session's last checkpoint, one after the other:
   * in its worktree when that holds exactly the checkpoint, else in a temporary checkout of it (`ran_in`).
   */
  run?: string;
  /** How long `run` may take for each session before it is stopped, in seconds (default 600). */
  timeoutSeconds?: number;
  /** Add the unified diff between every pair of final states. */
  patch?: boolean;
}

const DEFAULT_TIMEOUT_S = 600;

/**
 * Puts sessions side by side — forks of one checkpoint, typically, each with its agent in its own worktree:
 * checkpoints, files touched, lines added and removed (base commit to last checkpoint), RULEMAP score, duration,
 * the diff between every pair of final states (their last checkpoints) and, with `run`, the exit status and time of
 * a command run at each final state (in the session's worktree when that holds exactly its last checkpoint, else in
 * a temporary checkout of the checkpoint). Reads only, without holding the lock (so the command may run specmap
 * itself).
 *
 * @example
 * await compare({ cwd: '/repo', sessions: ['2025-10-25-session-002', '2025-10-25-session-003'], run: 'npm test' });
 * // → { sessions: [{ session_id: '…-002-auth', lines_added: 40, run: { exit_code: 0, … }, … }, { …, run: { exit_code: 1, … } }], diffs: [{ from: '…-002-auth', to: '…-003-auth', files_changed: 3, … }] }
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  if (opts.sessions.length < 2) throw new SpecmapError('USAGE', 'compare needs two or more sessions', { kind: 'compare-count' });
  const timeout = opts.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 86_400) {
    throw new SpecmapError('INVALID_INPUT', `the timeout must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(String(opts.timeoutSeconds).slice(0, 20))}`, { kind: 'timeout' });
  }
  if (opts.run !== undefined && (opts.run.trim() === '' || opts.run.includes('\0'))) {
    throw new SpecmapError('INVALID_INPUT', 'the --run command is empty or holds a NUL byte', { kind: 'run' });
  }
  return transaction(opts, 'read', async ({ project }) => {
    const r = await compareSessions(project, {
      sessions: opts.sessions,
      patch: opts.patch,
      ...(opts.run !== undefined ? { run: { command: opts.run, timeoutMs: Math.round(timeout * 1000) } } : {}),
    });
    return {
      sessions: r.sessions.map(sessionView),
      diffs: r.diffs.map((d) => ({
        from: d.from, to: d.to, files: d.files, files_changed: d.files.length, lines_added: d.linesAdded, lines_removed: d.linesRemoved,
        ...(d.patch !== undefined ? { patch: d.patch } : {}),
      })),
    };
  });
}

function sessionView(s: Compared): ComparedSession {
  return {
    session_id: s.id, state: s.state, status: s.status, focus: s.focus, agent: s.agent, worktree: s.worktree,
    forked_from: s.forkedFrom ? { session_id: s.forkedFrom.session, checkpoint_id: s.forkedFrom.checkpoint, commit: s.forkedFrom.commit } : null,
    base_commit: s.baseCommit, tip: s.tip, checkpoints: s.checkpoints,
    files: s.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed })),
    files_touched: s.files.length, lines_added: s.linesAdded, lines_removed: s.linesRemoved,
    rulemap_score: s.rulemapScore, duration_minutes: s.durationMinutes, not_checkpointed: s.notCheckpointed,
    run: s.run ? {
      command: s.run.command, exit_code: s.run.exitCode, signal: s.run.signal, timed_out: s.run.timedOut,
      duration_ms: s.run.durationMs, output_tail: s.run.outputTail, ran_in: s.run.ranIn,
    } : null,
  };
}
