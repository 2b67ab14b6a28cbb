import { lstatSync, rmSync } from 'node:fs';
import { pathBytes, rawJoin } from '../../shared/path-text.js';
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

/**
 * After the checked-out branch moved from `from` to `to` with the work done in another worktree (a fork): brings
 * the work tree and the index of `paths` (those that changed) up to `to`, as a fast-forward `git merge` would. A
 * file is written only when its current content is held in git already — as `from` has it, or as one of `alsoSafe`
 * (commits: the checkpoint a fork started from, say) has it — or left as it is when it already is `to`'s; anything
 * else (a local edit, an untracked file in the way, an entry staged differently from both commits) refuses before
 * anything is written: CONFLICT. Every other file and index entry is kept.
 */
export async function advanceWorkTree(repo: RepoPaths, from: string, to: string, paths: string[], alsoSafe: string[] = []): Promise<void> {
  if (paths.length === 0) return;
  const pathspecs = paths.map((p) => `:(literal)${p}`);
  const [before, after, index, here, ...safe] = await Promise.all([
    treeEntries(repo, from, pathspecs),
    treeEntries(repo, to, pathspecs),
    indexEntries(repo, pathspecs),
    workTreeEntries(repo, paths),
    ...alsoSafe.map((c) => treeEntries(repo, c, pathspecs)),
  ]);
  const write: string[] = [];
  const remove: string[] = [];
  const blocked: string[] = [];
  for (const p of paths) {
    const [wt, a, b, idx] = [here.get(p), after.get(p), before.get(p), index.get(p)];
    if (idx !== b && idx !== a) blocked.push(p);
    else if (wt === a) continue;
    else if (wt !== b && !safe.some((m) => m.get(p) === wt)) blocked.push(p);
    else if (a === undefined) remove.push(p);
    else write.push(p);
  }
  if (blocked.length > 0) {
    throw new SpecmapError('CONFLICT', `local changes here are in the way: ${blocked.slice(0, 10).join(', ')}${blocked.length > 10 ? ', …' : ''} (changed, staged or untracked since the branch or the fork's starting point had them); commit, stash or move them first (nothing was changed)`, { kind: 'work-tree-in-the-way', files: blocked });
  }
  if (write.length > 0) {
    const tmp = tempIndexPath(repo);
    const env = { GIT_INDEX_FILE: tmp };
    try {
      await runGit(['read-tree', to], { cwd: repo.root, env });
      await runGit(['checkout-index', '-f', '-z', '--stdin'], { cwd: repo.root, env, input: Buffer.concat(write.flatMap((p) => [pathBytes(p), Buffer.from([0])])) });
    } finally {
      rmSync(tmp, { force: true });
      rmSync(`${tmp}.lock`, { force: true });
    }
  }
  for (const p of remove) rmSync(rawJoin(repo.root, pathBytes(p)), { force: true });
  await advanceIndex(repo, from, to, paths);
}

/**
 * `mode oid` of each of `paths` as it is in the work tree, hashed as `git add` would (filters, modes, links; ignored
 * files too), in a temporary index that starts empty; a path absent from the work tree has no entry.
 */
async function workTreeEntries(repo: RepoPaths, paths: string[]): Promise<Map<string, string>> {
  const present = paths.filter((p) => {
    try {
      return !lstatSync(rawJoin(repo.root, pathBytes(p))).isDirectory();
    } catch {
      return false;
    }
  });
  if (present.length === 0) return new Map();
  const tmp = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: tmp };
  try {
    await runGit(['read-tree', '--empty'], { cwd: repo.root, env });
    await runGit(['add', '-f', '--pathspec-from-file=-', '--pathspec-file-nul'], { cwd: repo.root, env, input: `${present.map((p) => `:(literal)${p}`).join('\0')}\0` });
    const { stdoutBuf } = await runGit(['ls-files', '-s', '-z'], { cwd: repo.root, env });
    return new Map(parseLsFilesStage(stdoutBuf).map((e) => [e.path, `${e.mode} ${e.oid}`]));
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.lock`, { force: true });
  }
}
