import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HOOK_RULES } from '../hooks/rules.js';
import type { Project } from './project.js';

// Where hooks leave work for later, and the cheap checks every command makes before settling it. Kept apart from
// the code that does the work, so a command with nothing queued loads none of it (start-up cost, docs/benchmarks.md).

/**
 * The post-commit shim appends "<commit> [<session>]" here without starting Node. Per worktree, since each worktree
 * has its own sessions folder.
 */
export function pendingCommitsFile(project: Project): string {
  return join(project.git.gitDir, HOOK_RULES.pendingCommitsFile);
}

/** A commit queue waiting, or one a background process has taken and is recording right now. */
export function hasPendingCommitWork(project: Project): boolean {
  return lineQueueWaiting(pendingCommitsFile(project));
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

/** An agent event queue waiting, or one being applied right now. */
export function hasQueuedAgentEvents(project: Project): boolean {
  return lineQueueWaiting(pendingAgentEventsFile(project));
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

/**
 * Takes the queue at `file` away (lock held) and returns its non-empty lines, oldest first, with `done` to call once
 * they are worked through; undefined when nothing is queued.
 */
export function takeQueuedLines(file: string): { lines: string[]; done: () => void } | undefined {
  if (!existsSync(file) || statSync(file).size === 0) return undefined;
  const taken = `${file}.${process.pid}.taken`;
  renameSync(file, taken);
  const lines = readFileSync(taken, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return { lines, done: () => rmSync(taken, { force: true }) };
}

