import { join } from 'node:path';
import type { RepoPaths } from '../../storage/git/repo.js';
import { withLock, type LockOptions } from '../../storage/fs/lock.js';

/**
 * A git working tree that specmap manages. Every domain operation takes one; only api/transaction.ts opens it
 * (from the caller's folder, which the domain never sees).
 */
export interface Project {
  /** Absolute path of the working tree's top level. */
  root: string;
  git: RepoPaths;
}

/** Serialises every mutation of one repository (all worktrees share it, so the lock lives in the common dir). */
export function withProjectLock<T>(project: Project, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  return withLock(join(project.git.commonDir, 'specmap.lock'), fn, opts);
}
