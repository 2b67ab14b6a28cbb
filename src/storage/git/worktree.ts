import { gitDate } from '../../shared/clock.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';

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

export interface WorktreeEntry {
  /** The worktree's top level (for a bare main repository: its git dir). */
  path: string;
  /** Full ref name of the checked-out branch; undefined on a detached HEAD. */
  branch?: string;
  /** The main repository is bare: there is no work tree at `path`. */
  bare: boolean;
}

/** Every worktree of the repository, the main one first (`git worktree list --porcelain -z`). */
export async function listWorktrees(repo: RepoPaths): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd: repo.root });
  const out: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of stdout.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), bare: false };
      out.push(current);
    } else if (current && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length);
    } else if (current && field === 'bare') {
      current.bare = true;
    }
  }
  return out;
}

/** The path of a worktree other than this one that has `branch` (short name) checked out. */
export async function branchCheckedOutElsewhere(repo: RepoPaths, branch: string): Promise<string | undefined> {
  const found = (await listWorktrees(repo)).find((w) => w.branch === `refs/heads/${branch}` && w.path !== repo.root);
  return found?.path;
}
