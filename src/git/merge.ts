import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError } from '../core/errors.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';

export type MergeTreeResult = { clean: true; tree: string } | { clean: false; conflicts: string[] };

/** A three-way merge of two commits (merge base found by git) without touching the index or the work tree. */
export async function mergeTrees(repo: RepoPaths, ours: string, theirs: string): Promise<MergeTreeResult> {
  const { stdout, code } = await runGit(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], { cwd: repo.root, okCodes: [1] });
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  if (code === 0) return { clean: true, tree: lines[0]! };
  return { clean: false, conflicts: [...new Set(lines.slice(1))] };
}

let counter = 0;

/** `tree` with the paths under `prefix` put back as they are in `base` (a temporary index; nothing else is touched). */
export async function treeWithPathsFrom(repo: RepoPaths, tree: string, base: string, prefix: string): Promise<string> {
  counter += 1;
  const tmp = join(repo.gitDir, `specmap-index.${process.pid}.${counter}`);
  const env = { GIT_INDEX_FILE: tmp };
  try {
    await runGit(['read-tree', tree], { cwd: repo.root, env });
    await runGit(['reset', '-q', base, '--', prefix], { cwd: repo.root, env, okCodes: [1] });
    return (await runGit(['write-tree'], { cwd: repo.root, env })).stdout.trim();
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * After the checked-out branch moved from `from` to `to` without a checkout: brings the index entries of the paths
 * that changed up to `to`, so `git status` shows the user's own changes against the new commit. The work tree is
 * never written. A path the user staged differently from both commits is a conflict: nothing is changed then.
 */
export async function advanceIndex(repo: RepoPaths, from: string, to: string, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const entries = async (args: string[]) => {
    const { stdout } = await runGit([...args, '-z', '--', ...paths.map((p) => `:(literal)${p}`)], { cwd: repo.root });
    const map = new Map<string, string>();
    for (const rec of stdout.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const [mode, , oid] = rec.slice(0, tab).split(' ');
      map.set(rec.slice(tab + 1), `${mode} ${oid}`);
    }
    return map;
  };
  const [before, after, index] = await Promise.all([
    entries(['ls-tree', '-r', from]),
    entries(['ls-tree', '-r', to]),
    // ls-files -s prints "mode oid stage\tpath"; keep mode and oid.
    entries(['ls-files', '-s']).then((m) => new Map([...m].map(([k, v]) => [k, v.split(' ').slice(0, 2).join(' ')]))),
  ]);
  const blocked = paths.filter((p) => index.get(p) !== before.get(p) && index.get(p) !== after.get(p));
  if (blocked.length > 0) {
    throw new SpecmapError('CONFLICT', `uncommitted changes in the way: ${blocked.join(', ')} (staged differently from both commits); commit or unstage them first (nothing was changed)`);
  }
  const zero = '0'.repeat(40);
  const lines = paths.map((p) => {
    const a = after.get(p);
    return a ? `${a}\t${p}` : `0 ${zero}\t${p}`;
  });
  await runGit(['update-index', '--index-info'], { cwd: repo.root, input: `${lines.join('\n')}\n` });
}

/** Worktrees (other than this one) that have `branch` checked out. */
export async function branchCheckedOutElsewhere(repo: RepoPaths, branch: string): Promise<string | undefined> {
  const { stdout } = await runGit(['worktree', 'list', '--porcelain'], { cwd: repo.root });
  let path = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('worktree ')) path = line.slice('worktree '.length);
    if (line === `branch refs/heads/${branch}` && path !== repo.root) return path;
  }
  return undefined;
}

/** The checked-out branch's short name, or undefined on a detached HEAD. */
export async function currentBranch(repo: RepoPaths): Promise<string | undefined> {
  const { stdout, code } = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}
