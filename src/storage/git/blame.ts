import { SpecmapError } from '../../shared/errors.js';
import { isQuotedPath } from '../../shared/path-text.js';
import { GitCommandError, runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseBlamePorcelain, type BlameLine } from './parse/blame.js';

export type { BlameLine } from './parse/blame.js';

/**
 * `git blame --line-porcelain` of `path` (project-relative, text form) as it is in `rev`, or in the working tree
 * when `rev` is undefined. INVALID_INPUT when git has no such file there.
 */
export async function blameFile(repo: RepoPaths, path: string, rev?: string): Promise<BlameLine[]> {
  if (isQuotedPath(path)) throw new SpecmapError('INVALID_INPUT', `cannot blame ${path}: its name is not UTF-8`, { kind: 'path' });
  const args = ['-c', 'core.quotePath=false', 'blame', '--line-porcelain', ...(rev ? [rev] : []), '--', path];
  try {
    const { stdoutBuf } = await runGit(args, { cwd: repo.root });
    return parseBlamePorcelain(stdoutBuf);
  } catch (err) {
    if (err instanceof GitCommandError && /no such path|no such ref|bad revision|cannot stat path|fatal: no such/i.test(err.stderr)) {
      throw new SpecmapError('INVALID_INPUT', `git cannot blame ${path}${rev ? ` at ${rev}` : ''}: ${err.message.replace(/^git blame failed: /, '')}`, { kind: 'path' });
    }
    throw err;
  }
}
