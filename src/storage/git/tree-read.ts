import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { isQuotedPath, pathBytes, pathText, rawWithin } from '../../shared/path-text.js';

export interface TreeEntry {
  /** Octal mode as git writes it: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** The name in text form (src/fs/path-text.ts): plain UTF-8, or git-quoted when its bytes are not. */
  path: string;
  /** The name's bytes exactly as git holds them. */
  raw: Buffer;
}

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
  const out: TreeEntry[] = [];
  for (const rec of splitNul(stdoutBuf)) {
    const tab = rec.indexOf(0x09);
    const [mode, type, oid] = rec.subarray(0, tab).toString('latin1').split(' ');
    const raw = Buffer.from(rec.subarray(tab + 1));
    const entry: TreeEntry = { mode: mode!, type: type as TreeEntry['type'], oid: oid!, path: pathText(raw), raw };
    out.push(entry);
  }
  if (!byBytes || !paths) return out;
  const wanted = paths.map(pathBytes);
  return out.filter((e) => wanted.some((w) => rawWithin(e.raw, w)));
}

/** The NUL-terminated records of `-z` output, as bytes. */
export function splitNul(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0, start); i !== -1; i = buf.indexOf(0, start)) {
    if (i > start) out.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}
