import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { recordCommit, type RecordCommitResult } from './commit-tracking.js';
import { isSpecmapError } from '../../shared/errors.js';
import { HOOK_RULES } from './rules.js';
import { withProjectLock, type Project } from '../project/project.js';

/**
 * The post-commit shim appends "<commit> [<session>]" here without starting Node; this module records the queue.
 * Per worktree, since each worktree has its own sessions folder.
 */
export function pendingCommitsFile(project: Project): string {
  return join(project.git.gitDir, HOOK_RULES.pendingCommitsFile);
}

function hasPending(project: Project): boolean {
  const file = pendingCommitsFile(project);
  return existsSync(file) && statSync(file).size > 0;
}

/** Records every queued commit; call with the project lock held. Returns what was recorded or skipped. */
export async function recordPendingCommitsLocked(project: Project): Promise<RecordCommitResult[]> {
  if (!hasPending(project)) return [];
  const file = pendingCommitsFile(project);
  // Take the queue away first: the shim keeps appending to a fresh file while we work on this one.
  const taken = `${file}.${process.pid}.taken`;
  renameSync(file, taken);
  const results: RecordCommitResult[] = [];
  const retry: string[] = [];
  for (const line of readFileSync(taken, 'utf8').split('\n')) {
    const [commit, session] = line.trim().split(/\s+/);
    if (!commit) continue;
    try {
      results.push(await recordCommit(project, commit, session || undefined));
    } catch (err) {
      // A session that ended or a commit that vanished will never record; anything else is tried again later.
      if (!isSpecmapError(err) || err.code === 'LOCKED' || err.code === 'IO' || err.code === 'GIT_FAILED') retry.push(line);
    }
  }
  if (retry.length > 0) {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${retry.join('\n')}\n`);
  }
  rmSync(taken, { force: true });
  return results;
}

/** A queue waiting, or one a background process has taken and is recording right now. */
export function hasPendingCommitWork(project: Project): boolean {
  const file = pendingCommitsFile(project);
  const dir = dirname(file);
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(basename(file)));
}

/**
 * What the post-commit shim's background process does: records the queue under the lock, and nothing else (the
 * settling of other queued work is for commands). It takes the lock itself, so its api verb opens without one.
 */
export async function recordPendingCommits(project: Project): Promise<RecordCommitResult[]> {
  if (!hasPendingCommitWork(project)) return [];
  return withProjectLock(project, () => recordPendingCommitsLocked(project));
}
