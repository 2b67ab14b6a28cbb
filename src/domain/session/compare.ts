import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, TRACKING_FILE, type SessionState } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { filesNotIn, sessionEnd } from '../checkpoint/pending-work.js';
import { currentMetrics, type SessionDoc } from './session-file.js';
import { loadSession } from './store.js';
import { forkedFromOf, type ForkedFrom } from './forked-from.js';
import { locateSession } from './worktrees.js';
import { numstat, diffText, type NumstatEntry } from '../../storage/git/diff.js';
import { changedFiles, type ChangeStatus } from '../../storage/git/snapshot.js';
import { runShell, type ShellRunResult } from '../../storage/shell/run.js';
import { withTemporaryCheckout } from '../../storage/git/worktree.js';

/** What a comparison leaves out of every diff: specmap's own files (the workspaces differ by design). */
const NOT_WORK = [AGENTS_DIR, TRACKING_FILE];

export interface CompareInput {
  /** Two or more session references (id or unique prefix, in any worktree; `@` for the only active one here). */
  sessions: string[];
  /** A command line run through the shell at each session's final state (the test suite), with a timeout. */
  run?: { command: string; timeoutMs: number };
  /** Include the patch between each pair of final states. */
  patch?: boolean;
  /** List what each active session's worktree holds beyond its last checkpoint (default true; a snapshot per worktree). */
  pending?: boolean;
}

export interface FileLines {
  path: string;
  /** null for a binary file. */
  added: number | null;
  removed: number | null;
}

export interface ComparedSession {
  id: string;
  state: SessionState;
  status: string;
  focus: string;
  agent: string;
  /** The worktree whose 04-agents/ holds the session. */
  worktree: string;
  forkedFrom?: ForkedFrom;
  baseCommit: string;
  /** The final state compared: the session ref's tip (its last checkpoint). */
  tip: string;
  checkpoints: number;
  /** Project files the session changed from its base to its last checkpoint (specmap's own left out). */
  files: (FileLines & { status: ChangeStatus })[];
  linesAdded: number;
  linesRemoved: number;
  rulemapScore: number | null;
  durationMinutes: number;
  /** Files in its worktree that differ from its last checkpoint (not part of the comparison; active sessions only). */
  notCheckpointed: string[];
  run?: ShellRunResult & { command: string; ranIn: RanIn };
}

/**
 * Where `run` ran: the session's worktree, which held exactly its last checkpoint (and its ignored files, such as
 * installed dependencies), or a temporary checkout of that checkpoint (the worktree had moved on, or holds another
 * session's work), removed afterwards.
 */
export type RanIn = 'worktree' | 'checkout';

export interface FinalStateDiff {
  from: string;
  to: string;
  files: FileLines[];
  linesAdded: number;
  linesRemoved: number;
  patch?: string;
}

export interface CompareOutcome {
  sessions: ComparedSession[];
  /** Every pair, in the order given: the first against each later one, and so on. */
  diffs: FinalStateDiff[];
}

const sum = (files: FileLines[], key: 'added' | 'removed') => files.reduce((n, f) => n + (f[key] ?? 0), 0);

/**
 * Puts sessions side by side — typically forks of one checkpoint (`specmap fork`), each in its own worktree:
 * checkpoints, the files and lines each changed from its base to its last checkpoint, RULEMAP score, duration, the
 * diff between every pair of final states and, with `run`, the exit status and time of a command run at each final
 * state (runAtFinalState; one after the other, never side by side: they may share ports or caches). Only checkpointed states are
 * compared; what a worktree holds beyond its last checkpoint is listed per session. Reads only; needs no lock (a
 * test suite may take minutes, and may call specmap itself).
 */
export async function compareSessions(project: Project, input: CompareInput): Promise<CompareOutcome> {
  if (input.sessions.length < 2) throw new SpecmapError('USAGE', 'compare needs two or more sessions', { kind: 'compare-count' });
  const placed = [];
  for (const ref of input.sessions) placed.push(await locateSession(project, ref));
  const ids = placed.map((p) => p.handle.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new SpecmapError('USAGE', `${twice} is named twice: compare different sessions`, { kind: 'compare-duplicate' });

  const sessions: ComparedSession[] = [];
  for (const p of placed) {
    const doc = loadSession(p.handle);
    const tip = await sessionEnd(p.project, p.handle.id, doc);
    const base = typeof doc.git?.base_commit === 'string' ? doc.git.base_commit : tip;
    sessions.push(await describe(p.project, p.handle.id, p.handle.state as SessionState, doc, base, tip, input.pending ?? true));
  }
  if (input.run) {
    for (const [i, s] of sessions.entries()) s.run = await runAtFinalState(placed[i]!.project, s, input.run, input.pending ?? true);
  }
  const diffs: FinalStateDiff[] = [];
  for (let i = 0; i < sessions.length; i++) {
    for (let j = i + 1; j < sessions.length; j++) {
      const [a, b] = [sessions[i]!, sessions[j]!];
      const files = await numstat(project.git, a.tip, b.tip, NOT_WORK);
      const diff: FinalStateDiff = { from: a.id, to: b.id, files, linesAdded: sum(files, 'added'), linesRemoved: sum(files, 'removed') };
      if (input.patch) diff.patch = await diffText(project.git, a.tip, b.tip, { exclude: NOT_WORK });
      diffs.push(diff);
    }
  }
  return { sessions, diffs };
}

/**
 * Runs the command against the state compared, the session's last checkpoint: in its worktree when that holds
 * exactly the checkpoint (an active session with nothing past it), else in a temporary checkout of it.
 */
async function runAtFinalState(project: Project, s: ComparedSession, run: { command: string; timeoutMs: number }, pendingListed: boolean): Promise<NonNullable<ComparedSession['run']>> {
  const exact = s.state === 'active' && (pendingListed ? s.notCheckpointed : await filesNotIn(project, s.tip)).length === 0;
  const go = (cwd: string) => runShell(run.command, { cwd, timeoutMs: run.timeoutMs });
  if (exact) return { command: run.command, ranIn: 'worktree', ...(await go(s.worktree)) };
  return { command: run.command, ranIn: 'checkout', ...(await withTemporaryCheckout(project.git, s.tip, go)) };
}

async function describe(project: Project, id: string, state: SessionState, doc: SessionDoc, base: string, tip: string, pending: boolean): Promise<ComparedSession> {
  const repo = project.git;
  const [lines, changes, notCheckpointed] = await Promise.all([
    numstat(repo, base, tip, NOT_WORK),
    changedFiles(repo, base, tip),
    // An archived session's worktree has moved on (other sessions): only an active one's extra files are its own.
    state === 'active' && pending ? filesNotIn(project, tip) : Promise.resolve([]),
  ]);
  const count = new Map<string, NumstatEntry>(lines.map((l) => [l.path, l]));
  const files = changes.filter((c) => count.has(c.path)).map((c) => ({ path: c.path, status: c.status, added: count.get(c.path)!.added, removed: count.get(c.path)!.removed }));
  const forkedFrom = forkedFromOf(doc);
  return {
    id,
    state,
    status: doc.session.status,
    focus: doc.session.focus,
    agent: doc.session.agent,
    worktree: project.root,
    ...(forkedFrom ? { forkedFrom } : {}),
    baseCommit: base,
    tip,
    checkpoints: doc.checkpoints.length,
    files,
    linesAdded: sum(files, 'added'),
    linesRemoved: sum(files, 'removed'),
    rulemapScore: doc.rulemap_score,
    durationMinutes: currentMetrics(doc).duration_minutes ?? 0,
    notCheckpointed,
  };
}
