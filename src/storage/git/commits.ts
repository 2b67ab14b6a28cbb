import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';

export interface CommitChange {
  status: 'A' | 'M' | 'D' | 'T' | 'R' | 'C';
  path: string;
  /** For renames and copies: where it came from. */
  from?: string;
}

/**
 * What a commit changed against its first parent (against nothing for a root commit), with rename detection.
 */
export async function commitChanges(repo: RepoPaths, commit: string): Promise<CommitChange[]> {
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--root', '--no-commit-id', '--name-status', '-M', '--diff-merges=first-parent', commit],
    { cwd: repo.root },
  );
  const parts = stdout.split('\0');
  const out: CommitChange[] = [];
  let i = 0;
  while (i < parts.length && parts[i]) {
    const status = parts[i]!.charAt(0) as CommitChange['status'];
    if (status === 'R' || status === 'C') {
      out.push({ status, from: parts[i + 1]!, path: parts[i + 2]! });
      i += 3;
    } else {
      out.push({ status, path: parts[i + 1]! });
      i += 2;
    }
  }
  return out;
}

/**
 * Paths staged for the commit in progress. `indexFile` is the index git handed the hook (GIT_INDEX_FILE), which
 * for `git commit -a` or `git commit <paths>` is a temporary one, not .git/index.
 */
export async function stagedPaths(repo: RepoPaths, indexFile: string | undefined): Promise<string[]> {
  const env = indexFile ? { GIT_INDEX_FILE: indexFile } : undefined;
  const { stdout } = await runGit(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMRT', '--no-renames'], {
    cwd: repo.root,
    env,
  });
  return stdout.split('\0').filter(Boolean);
}

/** `<hooks dir>` git really uses: core.hooksPath when set (relative to the work tree), else <common dir>/hooks. */
export async function hooksDir(repo: RepoPaths): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd: repo.root });
  return stdout.trim();
}

export async function configValue(repo: RepoPaths, key: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['config', '--get', key], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}

export interface CommitInfo {
  oid: string;
  /** Committer time. */
  date: Date;
  message: string;
}

/** Commits reachable from `to` but not from `from` (all of `to`'s history when `from` is undefined), oldest first. */
export async function commitsBetween(repo: RepoPaths, from: string | undefined, to: string): Promise<CommitInfo[]> {
  const range = from ? `${from}..${to}` : to;
  const { stdout } = await runGit(['log', '--reverse', '--format=%H%x1f%ct%x1f%B%x1e', range, '--'], { cwd: repo.root });
  return stdout.split('\x1e').map((r) => r.replace(/^\n/, '')).filter((r) => r.length > 0).map((r) => {
    const [oid, ct, message] = r.split('\x1f');
    return { oid: oid!, date: new Date(Number(ct) * 1000), message: (message ?? '').trimEnd() };
  });
}

/** The value of `Key: value` trailers in a commit message. */
export function trailer(message: string, key: string): string | undefined {
  const m = new RegExp(`^${key}: (.+)$`, 'm').exec(message);
  return m?.[1]?.trim();
}
