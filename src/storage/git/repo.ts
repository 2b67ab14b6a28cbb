import { resolve } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { GitCommandError, runGit } from './run.js';
import { parseRevParsePaths } from './parse/rev-parse.js';

/** Where a working tree and its git directories are. */
export interface RepoPaths {
  /** The working tree's top level (the project root). */
  root: string;
  /** This worktree's git dir (.git, or .git/worktrees/<name> in a linked worktree). */
  gitDir: string;
  /** The git dir shared by all worktrees: refs, objects, hooks and our lock live here. */
  commonDir: string;
}

/** Finds the repository that contains `cwd`; a clear NOT_A_REPO error when there is none or it is bare. */
export async function findRepo(cwd: string): Promise<RepoPaths> {
  try {
    const { stdout } = await runGit(
      ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir'],
      { cwd },
    );
    const paths = parseRevParsePaths(stdout);
    if (!paths) throw new SpecmapError('GIT_FAILED', 'git rev-parse gave no repository paths');
    return { root: paths.root, gitDir: resolve(cwd, paths.gitDir), commonDir: resolve(cwd, paths.commonDir) };
  } catch (err) {
    if (err instanceof GitCommandError) {
      if (/not a git repository/i.test(err.stderr)) {
        throw new SpecmapError('NOT_A_REPO', `not a git repository: ${cwd} (run 'git init' first)`);
      }
      if (/must be run in a work tree/i.test(err.stderr)) {
        throw new SpecmapError('NOT_A_REPO', `no working tree at ${cwd}: specmap needs a non-bare repository`);
      }
    }
    throw err;
  }
}

/** Creates a repository with branch `main` (used by the demo). */
export async function initRepo(dir: string): Promise<void> {
  await runGit(['init', '-q', '-b', 'main', dir], { cwd: dir });
}
