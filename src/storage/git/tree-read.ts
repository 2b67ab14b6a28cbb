import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { isQuotedPath, pathBytes } from '../../shared/path-text.js';
import { parseLsTree, type TreeEntry } from './parse/ls-tree.js';

export type { TreeEntry };

/**
 * Past this many paths the tree is listed whole and selected here: git matches every entry against every pathspec
 * (30,000 named paths took 11 s), and 100,000 do not fit in one argv at all (spawn E2BIG).
 */
const LONG_LIST = 200;

/**
 * Files in `rev`'s tree, recursively; limited to `paths` (files or folders, project-relative, taken literally)
 * when given.
 */
export async function listTree(repo: RepoPaths, rev: string, paths?: string[]): Promise<TreeEntry[]> {
  const args = ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', rev];
  // A name that is not UTF-8 cannot travel in argv, and a long list should not: list everything and select by bytes.
  const select = paths !== undefined && (paths.length > LONG_LIST || paths.some(isQuotedPath));
  if (paths && !select) args.push('--', ...paths);
  const { stdoutBuf } = await runGit(args, { cwd: repo.root });
  const out = parseLsTree(stdoutBuf);
  if (!select || !paths) return out;
  // An entry is wanted when it or one of its folders was named (the bytes as latin1 text: one char per byte).
  const wanted = new Set(paths.map((p) => stripSlash(pathBytes(p)).toString('latin1')));
  return out.filter((e) => {
    const name = e.raw.toString('latin1');
    if (wanted.has(name)) return true;
    for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) if (wanted.has(name.slice(0, i))) return true;
    return false;
  });
}

/** A folder named with a trailing slash (`src/`) selects what `src` does. */
function stripSlash(b: Buffer): Buffer {
  let end = b.length;
  while (end > 1 && b[end - 1] === 0x2f) end--;
  return b.subarray(0, end);
}
