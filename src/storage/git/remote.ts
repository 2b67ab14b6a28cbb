import { rmSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { GitCommandError, runGit, type GitProgress } from './run.js';
import type { RepoPaths } from './repo.js';
import { tempIndexPath } from './temp-index.js';
import { parsePushPorcelain, type PushedRef } from './parse/push-porcelain.js';

export type { PushedRef };

/** The remote to use: the current branch's upstream remote, else `origin`; an error if the repo has neither. */
export async function defaultRemote(repo: RepoPaths): Promise<string> {
  const { stdout: branch } = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: repo.root, okCodes: [1, 128] });
  if (branch.trim()) {
    const { stdout, code } = await runGit(['config', '--get', `branch.${branch.trim()}.remote`], { cwd: repo.root, okCodes: [1] });
    if (code === 0 && stdout.trim() && stdout.trim() !== '.') return stdout.trim();
  }
  return 'origin';
}

export async function checkRemote(repo: RepoPaths, remote: string): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(remote)) throw new SpecmapError('INVALID_INPUT', `invalid remote name ${JSON.stringify(remote.slice(0, 60))}`);
  const { stdout } = await runGit(['remote'], { cwd: repo.root });
  if (!stdout.split('\n').includes(remote)) {
    throw new SpecmapError('INVALID_INPUT', `no remote named ${remote} (add one with 'git remote add ${remote} <url>')`);
  }
}

/**
 * Pushes explicit refspecs (never forced) atomically: all of them land or none does. Returns git's per-ref report;
 * a rejection is returned, not thrown, so the caller can explain it. `dryRun` is `git push --dry-run`: the remote
 * is asked and the same report comes back, but nothing is sent and no ref moves on either side.
 */
export async function pushRefs(
  repo: RepoPaths, remote: string, refspecs: string[], opts: { dryRun?: boolean; onProgress?: (p: GitProgress) => void } = {},
): Promise<PushedRef[]> {
  if (refspecs.length === 0) return [];
  const { onProgress } = opts;
  const flags = [...(opts.dryRun ? ['--dry-run'] : []), ...(onProgress ? ['--progress'] : [])];
  const { stdout, stderr, code } = await runGit(['push', '--porcelain', '--atomic', '--no-verify', ...flags, remote, ...refspecs], {
    cwd: repo.root,
    okCodes: [1],
    onProgress,
  });
  const out = parsePushPorcelain(stdout);
  if (code !== 0 && out.length === 0) {
    throw new SpecmapError('GIT_FAILED', `git push to ${remote} failed: ${stderr.split('\n').find((l) => l.trim()) ?? 'unknown error'}`);
  }
  return out;
}

/** Fetches refspecs without tags following along (they go where the refspecs say); with `onProgress`, git's progress. */
export async function fetchRefs(repo: RepoPaths, remote: string, refspecs: string[], onProgress?: (p: GitProgress) => void): Promise<void> {
  try {
    await runGit(['fetch', onProgress ? '--progress' : '--quiet', '--no-tags', '--prune', remote, ...refspecs], { cwd: repo.root, onProgress });
  } catch (err) {
    if (err instanceof GitCommandError) throw new SpecmapError('GIT_FAILED', `git fetch from ${remote} failed: ${err.stderr.split('\n').find((l) => l.trim()) ?? ''}`);
    throw err;
  }
}

/** The tree of the folder `relDir` alone (its files at the root of the tree), with ignored files included. */
export async function folderTree(repo: RepoPaths, relDir: string): Promise<string> {
  const tmp = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: tmp };
  try {
    await runGit(['add', '-A', '-f', '--', `:(literal)${relDir}`], { cwd: repo.root, env });
    const { stdout } = await runGit(['write-tree', `--prefix=${relDir}/`], { cwd: repo.root, env });
    return stdout.trim();
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A file's bytes at `rev:path`, or undefined when it does not exist there. */
export async function showFile(repo: RepoPaths, rev: string, path: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['cat-file', 'blob', `${rev}:${path}`], { cwd: repo.root, okCodes: [1, 128] });
  return code === 0 ? stdout : undefined;
}
