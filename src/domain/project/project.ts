import { join, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { findRepo, type RepoPaths } from '../../storage/git/index.js';
import { withLock } from '../../storage/fs/lock.js';
import { SpecmapError } from '../../shared/errors.js';

/** A git working tree that specmap manages. Every core operation starts from one. */
export interface Project {
  /** Absolute path of the working tree's top level. */
  root: string;
  /** Where the command was run from (relative file arguments resolve against it). */
  cwd: string;
  git: RepoPaths;
}

export interface ProjectOptions {
  /** Directory to run in (the CLI's -C); defaults to process.cwd(). */
  cwd?: string;
}

/** Finds the project containing `cwd`; NOT_A_REPO when there is none. */
export async function openProject(opts: ProjectOptions = {}): Promise<Project> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new SpecmapError('NOT_A_REPO', `no such directory: ${cwd}`);
  }
  const git = await findRepo(cwd);
  return { root: git.root, cwd, git };
}

/** Serialises every mutation of one repository (all worktrees share it, so the lock lives in the common dir). */
export function withProjectLock<T>(project: Project, fn: () => Promise<T>): Promise<T> {
  return withLock(join(project.git.commonDir, 'specmap.lock'), fn);
}
