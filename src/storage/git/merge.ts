import { rmSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { tempIndexPath } from './temp-index.js';
import { parseMergeTree, type MergeTreeResult } from './parse/merge-tree.js';
import { parseLsTree } from './parse/ls-tree.js';
import { parseLsFilesStage } from './parse/ls-files.js';

export type { MergeTreeResult };

/** A three-way merge of two commits (merge base found by git) without touching the index or the work tree. */
export async function mergeTrees(repo: RepoPaths, ours: string, theirs: string): Promise<MergeTreeResult> {
  const { stdout, code } = await runGit(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], { cwd: repo.root, okCodes: [1] });
  return parseMergeTree(stdout, code);
}

/** `tree` with the paths under `prefix` put back as they are in `base` (a temporary index; nothing else is touched). */
export async function treeWithPathsFrom(repo: RepoPaths, tree: string, base: string, prefix: string): Promise<string> {
  const tmp = tempIndexPath(repo);
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
  const pathspecs = paths.map((p) => `:(literal)${p}`);
  const [before, after, index] = await Promise.all([
    treeEntries(repo, from, pathspecs),
    treeEntries(repo, to, pathspecs),
    indexEntries(repo, pathspecs),
  ]);
  const blocked = paths.filter((p) => index.get(p) !== before.get(p) && index.get(p) !== after.get(p));
  if (blocked.length > 0) {
    throw new SpecmapError('CONFLICT', `uncommitted changes in the way: ${blocked.join(', ')} (staged differently from both commits); commit or unstage them first (nothing was changed)`);
  }
  // Mode 0 removes the entry; its object id must still have the repository's length (SHA-1 or SHA-256).
  const zero = '0'.repeat(to.length);
  const lines = paths.map((p) => {
    const a = after.get(p);
    return a ? `${a}\t${p}` : `0 ${zero}\t${p}`;
  });
  await runGit(['update-index', '--index-info'], { cwd: repo.root, input: `${lines.join('\n')}\n` });
}

/** `mode oid` of each file of `rev` matched by `pathspecs` (ls-tree prints `mode type oid\tpath`). */
async function treeEntries(repo: RepoPaths, rev: string, pathspecs: string[]): Promise<Map<string, string>> {
  const { stdoutBuf } = await runGit(['ls-tree', '-r', '-z', rev, '--', ...pathspecs], { cwd: repo.root });
  return new Map(parseLsTree(stdoutBuf).map((e) => [e.path, `${e.mode} ${e.oid}`]));
}

/**
 * `mode oid` of each index entry matched by `pathspecs` (ls-files -s prints `mode oid stage\tpath`). An unmerged
 * path (stages 1-3) matches no commit, so it gets a value no tree entry has.
 */
async function indexEntries(repo: RepoPaths, pathspecs: string[]): Promise<Map<string, string>> {
  const { stdoutBuf } = await runGit(['ls-files', '-s', '-z', '--', ...pathspecs], { cwd: repo.root });
  return new Map(parseLsFilesStage(stdoutBuf).map((e) => [e.path, e.stage === 0 ? `${e.mode} ${e.oid}` : 'unmerged']));
}

/** The checked-out branch's short name, or undefined on a detached HEAD. */
export async function currentBranch(repo: RepoPaths): Promise<string | undefined> {
  const { stdout, code } = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}
