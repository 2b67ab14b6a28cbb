import { gitDate } from '../../shared/clock.js';
import { GitCommandError, runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseIdent } from './parse/ident.js';
import { parseBatch, parseBatchCheck } from './parse/cat-file.js';

/** The commit HEAD points at, or undefined in a repository with no commits yet. */
export async function headCommit(repo: RepoPaths): Promise<string | undefined> {
  return resolveCommit(repo, 'HEAD');
}

/** Resolves a revision to a commit id; undefined when it does not name a commit. */
export async function resolveCommit(repo: RepoPaths, rev: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], {
    cwd: repo.root,
    okCodes: [1, 128],
  });
  return code === 0 ? stdout.trim() : undefined;
}

/** Writes the empty tree object and returns its id (works for SHA-1 and SHA-256 repositories). */
export async function emptyTree(repo: RepoPaths): Promise<string> {
  const { stdout } = await runGit(['mktree'], { cwd: repo.root, input: '' });
  return stdout.trim();
}

export interface CommitTreeOptions {
  tree: string;
  parents: string[];
  message: string;
  date: Date;
}

/** Used when the user has no git identity configured, so a checkpoint never fails for that alone. */
export const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'specmap',
  GIT_AUTHOR_EMAIL: 'specmap@localhost',
  GIT_COMMITTER_NAME: 'specmap',
  GIT_COMMITTER_EMAIL: 'specmap@localhost',
};

/** Writes a commit object (no ref moves, no hooks run) and returns its id. */
export async function commitTree(repo: RepoPaths, opts: CommitTreeOptions): Promise<string> {
  const args = ['commit-tree', opts.tree];
  for (const p of opts.parents) args.push('-p', p);
  const date = gitDate(opts.date);
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  try {
    const { stdout } = await runGit(args, { cwd: repo.root, env, input: opts.message });
    return stdout.trim();
  } catch (err) {
    if (err instanceof GitCommandError && /tell me who you are|empty ident|name consists only/i.test(err.stderr)) {
      const { stdout } = await runGit(args, { cwd: repo.root, env: { ...env, ...FALLBACK_IDENTITY }, input: opts.message });
      return stdout.trim();
    }
    throw err;
  }
}

/** Whether `path` exists in `rev`'s tree (false also when `rev` does not exist yet). */
export async function pathInCommit(repo: RepoPaths, rev: string, path: string): Promise<boolean> {
  const { code } = await runGit(['cat-file', '-e', `${rev}:${path}`], { cwd: repo.root, okCodes: [1, 128] });
  return code === 0;
}

/** The user's git identity ("Name <email>"), or undefined when none is configured. */
export async function userIdentity(repo: RepoPaths): Promise<string | undefined> {
  const { stdout, code } = await runGit(['var', 'GIT_AUTHOR_IDENT'], { cwd: repo.root, okCodes: [128] });
  if (code !== 0) return undefined;
  return parseIdent(stdout);
}

/** Writes `data` as a blob and returns its id. */
export async function writeBlob(repo: RepoPaths, data: string | Buffer): Promise<string> {
  const { stdout } = await runGit(['hash-object', '-w', '--stdin'], { cwd: repo.root, input: data });
  return stdout.trim();
}

/** Writes a tree of plain files (name → blob id; plain names, no folders) and returns its id. */
export async function writeFlatTree(repo: RepoPaths, files: Record<string, string>): Promise<string> {
  const input = Object.entries(files).map(([name, oid]) => `100644 blob ${oid}\t${name}\n`).join('');
  const { stdout } = await runGit(['mktree'], { cwd: repo.root, input });
  return stdout.trim();
}

/** The contents of many blobs (`<rev>:<path>` or ids) in one process, in order; undefined for one that is missing. */
export async function readBlobs(repo: RepoPaths, specs: string[]): Promise<(Buffer | undefined)[]> {
  if (specs.length === 0) return [];
  const { stdoutBuf } = await runGit(['cat-file', '--batch'], { cwd: repo.root, input: `${specs.join('\n')}\n` });
  return parseBatch(stdoutBuf, specs.length);
}

/** A blob reachable from some refs but not from others, with a path it has there. */
export interface NewBlob { oid: string; path: string; size: number }

/**
 * The blobs reachable from `refs` but from none of `exclude` (rev-list arguments such as `--branches` or
 * `--glob=refs/remotes/origin/*`), with their sizes: `rev-list --objects` and one `cat-file --batch-check`.
 */
export async function newBlobs(repo: RepoPaths, refs: string[], exclude: string[]): Promise<NewBlob[]> {
  if (refs.length === 0) return [];
  const { stdout } = await runGit(['rev-list', '--objects', '--stdin', '--not', ...exclude], { cwd: repo.root, input: `${refs.join('\n')}\n` });
  const named = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) named.set(line.slice(0, space), line.slice(space + 1));
  }
  const sizes = await blobSizes(repo, [...named.keys()]);
  return [...sizes].map(([oid, size]) => ({ oid, path: named.get(oid) ?? '', size }));
}

/** The sizes of blobs, by id (one `cat-file --batch-check`); a missing one is left out. */
export async function blobSizes(repo: RepoPaths, oids: string[]): Promise<Map<string, number>> {
  if (oids.length === 0) return new Map();
  const { stdout } = await runGit(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { cwd: repo.root, input: `${oids.join('\n')}\n` });
  return new Map(parseBatchCheck(stdout).filter((e) => e.type === 'blob').map((e) => [e.oid, e.size ?? 0]));
}

/**
 * The blob ids of many `<rev>:<path>` specs (given as bytes: a path need not be UTF-8) in one `cat-file
 * --batch-check`, in order; undefined where there is no such blob (missing, a folder, a submodule).
 */
export async function blobIdsAt(repo: RepoPaths, specs: Buffer[]): Promise<(string | undefined)[]> {
  if (specs.length === 0) return [];
  const input = Buffer.concat(specs.flatMap((s) => [s, Buffer.from('\n')]));
  const { stdout } = await runGit(['cat-file', '--batch-check=%(objecttype) %(objectname)'], { cwd: repo.root, input });
  const lines = stdout.split('\n');
  return specs.map((_, i) => {
    const [type, oid] = (lines[i] ?? '').split(' ');
    return type === 'blob' && oid && /^[0-9a-f]{40,64}$/.test(oid) ? oid : undefined;
  });
}
