import { existsSync, readdirSync } from 'node:fs';
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
  const file = pendingCommitsFile(project);
  const dir = dirname(file);
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(basename(file)));
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
  const file = pendingAgentEventsFile(project);
  const dir = dirname(file);
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(basename(file)));
}

