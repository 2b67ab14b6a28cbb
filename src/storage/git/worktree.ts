import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitDate } from '../../shared/clock.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseWorktreeList, type WorktreeEntry } from './parse/worktree-list.js';
import { splitNul } from './parse/nul.js';
import { pathText } from '../../shared/path-text.js';

const DEMO_IDENTITY = {
  GIT_AUTHOR_NAME: 'specmap demo',
  GIT_AUTHOR_EMAIL: 'demo@specmap.invalid',
  GIT_COMMITTER_NAME: 'specmap demo',
  GIT_COMMITTER_EMAIL: 'demo@specmap.invalid',
};

/** Stages everything and makes an ordinary commit on the current branch (the demo's own repository only). */
export async function commitAll(repo: RepoPaths, message: string, date: Date): Promise<string> {
  await runGit(['add', '-A'], { cwd: repo.root });
  const env = { ...DEMO_IDENTITY, GIT_AUTHOR_DATE: gitDate(date), GIT_COMMITTER_DATE: gitDate(date) };
  await runGit(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', message], { cwd: repo.root, env });
  const { stdout } = await runGit(['rev-parse', 'HEAD'], { cwd: repo.root });
  return stdout.trim();
}

export type { WorktreeEntry };

/** Every worktree of the repository, the main one first (`git worktree list --porcelain -z`). */
export async function listWorktrees(repo: RepoPaths): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd: repo.root });
  return parseWorktreeList(stdout);
}

/** The path of a worktree other than this one that has `branch` (short name) checked out. */
export async function branchCheckedOutElsewhere(repo: RepoPaths, branch: string): Promise<string | undefined> {
  const found = (await listWorktrees(repo)).find((w) => w.branch === `refs/heads/${branch}` && w.path !== repo.root);
  return found?.path;
}

/**
 * Files under `rel` (project-relative) that git does not hold as they are: modified, staged, untracked or ignored
 * (`git status --porcelain -z --untracked-files=all --ignored -- <rel>`). Replacing such a folder would lose them.
 */
export async function uncommittedIn(repo: RepoPaths, rel: string): Promise<string[]> {
  const { stdoutBuf } = await runGit(['status', '--porcelain', '-z', '--untracked-files=all', '--ignored', '--', `:(literal)${rel}`], { cwd: repo.root });
  const out: string[] = [];
  const recs = splitNul(stdoutBuf);
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    out.push(pathText(r.subarray(3)));
    // A rename or copy is followed by its source's name.
    if ([r[0], r[1]].some((c) => c === 0x52 || c === 0x43)) i++;
  }
  return out;
}

/**
 * Adds a linked worktree at `dir` with a detached HEAD at `commit` (`git worktree add --detach`): no branch is
 * created or moved. Git checks the files out (and runs a post-checkout hook, as for any worktree it adds).
 */
export async function addWorktree(repo: RepoPaths, dir: string, commit: string): Promise<void> {
  await runGit(['worktree', 'add', '--quiet', '--detach', '--end-of-options', dir, commit], { cwd: repo.root });
}

/**
 * Runs `fn` in a temporary linked worktree checked out (detached) at `commit`, in a fresh folder under the system's
 * temporary folder, and removes it afterwards whatever `fn` did: its files, what `fn` wrote there, and git's record
 * of it. A real checkout (`git` works in it), without the ignored files (installed dependencies) of any other.
 */
export async function withTemporaryCheckout<T>(repo: RepoPaths, commit: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(mkdtempSync(join(tmpdir(), 'specmap-checkout-')), 'tree');
  try {
    await addWorktree(repo, dir, commit);
    return await fn(dir);
  } finally {
    await removeWorktree(repo, dir, true).catch(() => {});
    rmSync(join(dir, '..'), { recursive: true, force: true });
    await runGit(['worktree', 'prune'], { cwd: repo.root }).catch(() => {});
  }
}

/**
 * Removes the linked worktree at `dir`: its files and its private git dir (HEAD, index). `force` removes one with
 * untracked or modified files, which the caller has checked are held elsewhere; a locked worktree is refused.
 */
export async function removeWorktree(repo: RepoPaths, dir: string, force: boolean): Promise<void> {
  await runGit(['worktree', 'remove', ...(force ? ['--force'] : []), '--end-of-options', dir], { cwd: repo.root });
}

/**
 * The git-ignored files of a worktree but `exclude` (project paths), a wholly ignored folder as one entry with a
 * trailing slash (`git status --porcelain -z --ignored`, its `!!` entries: unlike `ls-files -o -i --directory`,
 * status looks inside untracked folders for them).
 */
export async function ignoredFiles(repo: RepoPaths, exclude: string[] = []): Promise<string[]> {
  const specs = exclude.length === 0 ? [] : ['--', '.', ...exclude.map((p) => `:(exclude,literal)${p}`)];
  const { stdoutBuf } = await runGit(['status', '--porcelain', '-z', '--ignored', ...specs], { cwd: repo.root });
  return splitNul(stdoutBuf).filter((r) => r[0] === 0x21 && r[1] === 0x21).map((r) => pathText(r.subarray(3)));
}
