import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { isQuotedPath, pathBytes, rawWithin } from '../../shared/path-text.js';
import { parseLsTree, type TreeEntry } from './parse/ls-tree.js';

export type { TreeEntry };

/**
 * Files in `rev`'s tree, recursively; limited to `paths` (files or folders, project-relative, taken literally)
 * when given.
 */
export async function listTree(repo: RepoPaths, rev: string, paths?: string[]): Promise<TreeEntry[]> {
  const args = ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', rev];
  // A name that is not UTF-8 cannot travel in argv: list everything and select by bytes instead.
  const byBytes = paths?.some(isQuotedPath) ?? false;
  if (paths && !byBytes) args.push('--', ...paths);
  const { stdoutBuf } = await runGit(args, { cwd: repo.root });
  const out = parseLsTree(stdoutBuf);
  if (!byBytes || !paths) return out;
  const wanted = paths.map(pathBytes);
  return out.filter((e) => wanted.some((w) => rawWithin(e.raw, w)));
}
