import { SpecmapError } from '../core/errors.js';
import { runGit, runGitToFile } from './run.js';
import type { RepoPaths } from './repo.js';
import { isQuotedPath, pathBytes, pathText, rawWithin } from '../fs/path-text.js';

export interface TreeEntry {
  /** Octal mode as git writes it: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** The name in text form (src/fs/path-text.ts): plain UTF-8, or git-quoted when its bytes are not. */
  path: string;
  /** The name's bytes exactly as git holds them. */
  raw: Buffer;
  /** Blob size in bytes (only when listed with sizes). */
  size?: number;
}

/**
 * Files in `rev`'s tree, recursively; limited to `paths` (files or folders, project-relative, taken literally)
 * when given.
 */
export async function listTree(repo: RepoPaths, rev: string, paths?: string[], opts: { sizes?: boolean } = {}): Promise<TreeEntry[]> {
  const args = ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', ...(opts.sizes ? ['-l'] : []), rev];
  // A name that is not UTF-8 cannot travel in argv: list everything and select by bytes instead.
  const byBytes = paths?.some(isQuotedPath) ?? false;
  if (paths && !byBytes) args.push('--', ...paths);
  const { stdoutBuf } = await runGit(args, { cwd: repo.root });
  const out: TreeEntry[] = [];
  for (const rec of splitNul(stdoutBuf)) {
    const tab = rec.indexOf(0x09);
    // With -l the size comes fourth, padded with spaces ('-' for anything but a blob).
    const [mode, type, oid, size] = rec.subarray(0, tab).toString('latin1').split(/ +/);
    const raw = Buffer.from(rec.subarray(tab + 1));
    const entry: TreeEntry = { mode: mode!, type: type as TreeEntry['type'], oid: oid!, path: pathText(raw), raw };
    if (opts.sizes && size !== undefined && size !== '-') entry.size = Number(size);
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

/** Reads many blobs with one `cat-file --batch` process; returns their bytes by id. */
export async function readBlobs(repo: RepoPaths, oids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const { stdoutBuf } = await runGit(['cat-file', '--batch'], { cwd: repo.root, input: `${unique.join('\n')}\n` });
  let pos = 0;
  for (const oid of unique) {
    const nl = stdoutBuf.indexOf(0x0a, pos);
    const header = stdoutBuf.subarray(pos, nl).toString('utf8');
    const [, type, size] = header.split(' ');
    if (type === undefined || size === undefined) {
      throw new SpecmapError('CORRUPT_DATA', `git object ${oid} is missing from the repository`);
    }
    const n = Number(size);
    blobs.set(oid, Buffer.from(stdoutBuf.subarray(nl + 1, nl + 1 + n)));
    pos = nl + 1 + n + 1;
  }
  return blobs;
}

/** Streams one blob into `dest` (which must not exist), never holding it in memory. */
export async function writeBlobToFile(repo: RepoPaths, oid: string, dest: string): Promise<void> {
  await runGitToFile(['cat-file', 'blob', oid], { cwd: repo.root, dest });
}
