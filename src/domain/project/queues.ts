import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../../shared/process-alive.js';
import { killPoint } from '../../shared/kill-point.js';
import { HOOK_RULES } from '../hooks/rules.js';
import type { Project } from './project.js';

// Where hooks leave work for later, and the cheap checks every command makes before settling it. Kept apart from
// the code that does the work, so a command with nothing queued loads none of it (start-up cost, docs/benchmarks.md).

/**
 * The post-commit and post-merge shims append "<commit> [<session>]" here without starting Node. Per worktree, since
 * each worktree has its own sessions folder.
 */
export function pendingCommitsFile(project: Project): string {
  return join(project.git.gitDir, HOOK_RULES.pendingCommitsFile);
}

/** A commit queue waiting, or one a background process has taken and is recording right now. */
export function hasPendingCommitWork(project: Project): boolean {
  return lineQueueWaiting(pendingCommitsFile(project));
}

/** "<old> <new> <kind>" lines the post-rewrite shim appends: rewritten commits whose attribution notes must follow. */
export function pendingRewritesFile(project: Project): string {
  return join(project.git.gitDir, HOOK_RULES.pendingRewritesFile);
}

export function hasPendingRewrites(project: Project): boolean {
  return lineQueueWaiting(pendingRewritesFile(project));
}

/** Markers of session ZIPs owed (a SessionEnd deferred them), one file per session. */
export function pendingBackupsDir(project: Project): string {
  return join(project.git.gitDir, 'specmap', 'pending-backups');
}

export function hasPendingBackups(project: Project): boolean {
  const dir = pendingBackupsDir(project);
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** Agent hook events that could not get the lock in time, one JSON line each, applied in order by the next command. */
export function pendingAgentEventsFile(project: Project): string {
  return join(project.git.gitDir, 'specmap', 'pending-agent-events');
}

/**
 * Agent hook events recorded without Node by bin/specmap-record (a file tool's write): one file each, the payload as
 * the agent gave it. Per worktree, like the other queues.
 */
export function agentInboxDir(project: Project): string {
  return join(project.git.gitDir, 'specmap', 'agent-inbox');
}

/** An agent event queue waiting, one being applied right now, or recorded events in the inbox. */
export function hasQueuedAgentEvents(project: Project): boolean {
  if (lineQueueWaiting(pendingAgentEventsFile(project))) return true;
  try {
    return readdirSync(agentInboxDir(project)).length > 0;
  } catch {
    return false;
  }
}

// A line queue: writers append whole lines (O_APPEND, so concurrent writers never interleave one), and the lock
// holder takes the file away before it works through it, so later lines go to a fresh file and none is lost.

/** The queue file, or a taken copy of it being worked through, is there. */
function lineQueueWaiting(file: string): boolean {
  const dir = dirname(file);
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(basename(file)));
}

/** Appends `lines` to the queue at `file`. */
export function appendQueuedLines(file: string, lines: string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${lines.join('\n')}\n`);
}

/** A queue taken by a process that died before working through it (killed, or the machine went down). */
export interface StaleQueue {
  path: string;
  pid: number;
  /** Lines not yet worked through, oldest first. */
  lines: string[];
}

// A taken queue is `<queue>.<pid>@<host>.taken` (`<queue>.<pid>.taken` before the host was recorded); `.applied`
// beside it holds one byte per line already worked through, so a queue re-read after a kill resumes after them.
const takenRe = (file: string) => new RegExp(`^${basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)(?:@(.+))?\\.taken$`);

function unworked(path: string): string[] {
  let applied = 0;
  try { applied = statSync(`${path}.applied`).size; } catch { /* none worked through yet */ }
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(applied);
}

/**
 * The taken copies of the queue at `file` whose owner is gone: a process of this host that is no longer alive (or
 * this very process, which holds the lock and is not working through one now), oldest first. A queue taken on
 * another host is left to that host.
 */
export function staleTakenQueues(file: string): StaleQueue[] {
  const dir = dirname(file);
  if (!existsSync(dir)) return [];
  const re = takenRe(file);
  const found: (StaleQueue & { mtime: number })[] = [];
  for (const name of readdirSync(dir)) {
    const m = re.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if ((m[2] !== undefined && m[2] !== hostname()) || (pid !== process.pid && processAlive(pid))) continue;
    const path = join(dir, name);
    try {
      found.push({ path, pid, lines: unworked(path), mtime: statSync(path).mtimeMs });
    } catch {
      // Removed meanwhile: nothing left to recover.
    }
  }
  return found.sort((a, b) => a.mtime - b.mtime || a.path.localeCompare(b.path)).map(({ mtime: _, ...q }) => q);
}

export interface TakenQueue {
  /** Non-empty lines, oldest first: those of queues a killed process had taken, then the queue itself. */
  lines: string[];
  /** Marks line `i` worked through, so a kill after it never works through it again. */
  worked: (i: number) => void;
  /** Removes the taken files, once every line is worked through. */
  done: () => void;
}

/**
 * Takes the queue at `file` away (lock held) and returns its lines with every line a killed taker left unworked
 * before them; undefined when nothing is queued.
 */
export function takeQueuedLines(file: string): TakenQueue | undefined {
  const parts = staleTakenQueues(file).map((q) => ({ path: q.path, lines: q.lines }));
  if (existsSync(file) && statSync(file).size > 0) {
    const taken = `${file}.${process.pid}@${hostname()}.taken`;
    renameSync(file, taken);
    killPoint('queue-taken');
    parts.push({ path: taken, lines: unworked(taken) });
  }
  const remove = () => {
    for (const p of parts) {
      rmSync(p.path, { force: true });
      rmSync(`${p.path}.applied`, { force: true });
    }
  };
  const owner = parts.flatMap((p) => p.lines.map(() => p.path));
  if (owner.length === 0) {
    remove();
    return undefined;
  }
  return {
    lines: parts.flatMap((p) => p.lines),
    worked: (i) => {
      appendFileSync(`${owner[i]!}.applied`, 'x');
      killPoint('queue-line-worked');
    },
    done: remove,
  };
}

/** The lines waiting in the queue at `file`: its own and those of copies a killed taker left. Reads only. */
function waitingLines(file: string): number {
  let n = staleTakenQueues(file).reduce((sum, q) => sum + q.lines.length, 0);
  try {
    n += readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  } catch {
    // No queue file.
  }
  return n;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What every transaction would settle before it runs (settle.ts), one sentence each; empty when nothing waits. A
 * dry run, which settles nothing, reports this beside its plan: the real run does this work first.
 */
export function queuedWork(project: Project): string[] {
  const out: string[] = [];
  const commits = waitingLines(pendingCommitsFile(project));
  if (commits > 0) out.push(`${count(commits, 'commit')} queued by the post-commit hook would be recorded first`);
  let events = waitingLines(pendingAgentEventsFile(project));
  try {
    events += readdirSync(agentInboxDir(project)).length;
  } catch {
    // No inbox.
  }
  if (events > 0) out.push(`${count(events, 'queued agent event')} would be applied first`);
  let backups = 0;
  try {
    backups = readdirSync(pendingBackupsDir(project)).length;
  } catch {
    // None owed.
  }
  if (backups > 0) out.push(`${count(backups, 'deferred session ZIP')} would be written first`);
  return out;
}
