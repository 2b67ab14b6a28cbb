import { now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, sessionRefName } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { loadSession, type SessionHandle } from '../session/store.js';
import { locateSession } from '../session/worktrees.js';
import { forkedFromOf } from '../session/forked-from.js';
import type { SessionDoc } from '../session/session-file.js';
import { branchCheckedOutElsewhere } from '../../storage/git/worktree.js';
import { changedFiles, treeOf } from '../../storage/git/snapshot.js';
import { currentBranch, mergeTrees, treeWithPathsFrom, advanceIndex, advanceWorkTree } from '../../storage/git/merge.js';
import { isAncestor } from '../../storage/git/commits.js';
import { commitTree } from '../../storage/git/objects.js';
import { readRef, updateRef } from '../../storage/git/refs.js';
import { attributeQuietly } from '../attribution/record-commit.js';

export interface MergeInput {
  session: string;
  /** The branch to commit onto (default: the current one). */
  into?: string;
  /** Replaces the generated subject line. */
  message?: string;
}

export interface MergeResult {
  session: string;
  branch: string;
  commit: string;
  parent: string;
  files: string[];
  /** True when the branch had moved since the session started and a three-way merge was needed. */
  merged: boolean;
}

export function squashMessage(doc: SessionDoc, subject?: string): string {
  const lines = [subject?.trim() || doc.session.focus || doc.session.id, ''];
  lines.push(`Squashed from specmap session ${doc.session.id} (${doc.checkpoints.length} checkpoint${doc.checkpoints.length === 1 ? '' : 's'}):`);
  for (const c of doc.checkpoints) lines.push(`- ${c.id}: ${c.description.split('\n')[0]}`);
  const { created, modified } = doc.artifacts;
  const artifacts = [
    ...(created.length > 0 ? [`Created: ${created.join(', ')}`] : []),
    ...(modified.length > 0 ? [`Modified: ${modified.join(', ')}`] : []),
  ];
  if (artifacts.length > 0) lines.push('', ...artifacts);
  lines.push('', `Session-Id: ${doc.session.id}`, `Agent: ${doc.session.agent}`);
  return `${lines.join('\n')}\n`;
}

/** What a merge will do: the commit it writes (already in the object store) and the branch it moves. */
export interface MergePlan extends MergeResult {
  /** The index follows the commit for `files` (the branch is the checked-out one). */
  moveIndex: boolean;
  /** The session worked in this work tree (false: a fork in another one, whose files come along). */
  here: boolean;
  /** Commits whose files a fork's merge may write over (they are in git). */
  safe: string[];
  handle: SessionHandle;
}

/**
 * Works out the merge of a session's final checkpoint into a branch, like a squash merge, and writes its commit
 * object (nothing refers to it until applyMerge moves the branch). When the branch has moved since the session
 * started, the two are merged three-way and any conflict refuses the merge. The session's own workspace
 * (04-agents/sessions/) is left out. A session in another worktree (a fork) is found there. Lock held, queued work
 * settled (or, in a dry run, reported).
 */
export async function planMerge(project: Project, opts: MergeInput): Promise<MergePlan> {
  const repo = project.git;
  // A fork lives in a worktree of its own: it is merged from the worktree that has the branch checked out.
  const placed = await locateSession(project, opts.session);
  const h = placed.handle;
  const doc = loadSession(h);
  const tip = await readRef(repo, sessionRefName(h.id));
  const last = doc.checkpoints[doc.checkpoints.length - 1];
  if (!tip || !last || tip === doc.git?.base_commit) {
    throw new SpecmapError('NOTHING_TO_DO', `${h.id} has no checkpoints to merge (checkpoint first: specmap checkpoint ${h.id} "<description>")`, { kind: 'no-checkpoints' });
  }
  const current = await currentBranch(repo);
  const branch = opts.into ?? current;
  if (!branch) throw new SpecmapError('CONFLICT', 'HEAD is detached: name the branch to merge into', { kind: 'detached-head' });
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch) || branch.includes('..')) throw new SpecmapError('INVALID_INPUT', `invalid branch name ${JSON.stringify(branch.slice(0, 60))}`, { kind: 'branch' });
  const elsewhere = await branchCheckedOutElsewhere(repo, branch);
  if (elsewhere) throw new SpecmapError('CONFLICT', `${branch} is checked out in ${elsewhere}; run the merge there`, { kind: 'checked-out-elsewhere' });
  const head = await readRef(repo, `refs/heads/${branch}`);
  if (!head) throw new SpecmapError('INVALID_INPUT', `no branch named ${branch}`, { kind: 'no-branch' });

  let tree: string;
  let merged = false;
  // The branch is where the session (or the session it was forked from) started, or an ancestor of its tip.
  if (head === doc.git?.base_commit || (await isAncestor(repo, head, tip))) {
    tree = await treeOf(repo, tip);
  } else {
    const m = await mergeTrees(repo, head, tip);
    if (!m.clean) {
      throw new SpecmapError('CONFLICT', `${branch} moved since ${h.id} started and the two conflict in ${m.conflicts.join(', ')}; nothing was changed`, { kind: 'merge-conflict', conflicts: m.conflicts });
    }
    tree = m.tree;
    merged = true;
  }
  tree = await treeWithPathsFrom(repo, tree, head, `${AGENTS_DIR}/sessions/`);
  const files = (await changedFiles(repo, head, tree)).map((c) => c.path);
  if (files.length === 0) throw new SpecmapError('NOTHING_TO_DO', `${branch} already has everything ${h.id} changed`, { kind: 'already-merged' });
  const commit = await commitTree(repo, { tree, parents: [head], message: squashMessage(doc, opts.message), date: now() });
  // The session's files are in this work tree already, unless it worked in another one (a fork): then they come
  // too. Files of this work tree as the fork's starting point has them are the fork's own past: the merge may write
  // over them. Not the parent's later checkpoints: those are work done here after the fork, which the fork's version
  // would silently replace (it is in git, but the user sees it vanish), so they refuse the merge like any edit.
  const from = forkedFromOf(doc);
  const safe = from?.commit ? [from.commit] : [];
  return { session: h.id, branch, commit, parent: head, files, merged, moveIndex: branch === current, here: placed.here, safe, handle: h };
}

/**
 * Moves the branch to the planned commit. On the checked-out branch the index moves first (it refuses before
 * writing anything), then the branch; the work tree is never written (so uncommitted work stays exactly as it
 * was), except for a fork's files, which follow as a fast-forward `git merge` would, local changes in them
 * refusing the merge. Lock held.
 */
export async function applyMerge(project: Project, plan: MergePlan): Promise<MergeResult> {
  const repo = project.git;
  const advance = plan.here ? (a: string, b: string) => advanceIndex(repo, a, b, plan.files) : (a: string, b: string) => advanceWorkTree(repo, a, b, plan.files, plan.safe);
  if (plan.moveIndex) await advance(plan.parent, plan.commit);
  try {
    await updateRef(repo, `refs/heads/${plan.branch}`, plan.commit, plan.parent, `specmap merge ${plan.session}`);
  } catch (err) {
    if (plan.moveIndex) await advance(plan.commit, plan.parent).catch(() => {});
    throw err;
  }
  // The squash's lines keep who wrote them, read from the session's checkpoints (its note, refs/notes/specmap).
  await attributeQuietly(project, plan.commit, plan.handle, { checkpointsOnly: true, source: 'merge' });
  return mergeResultOf(plan);
}

/** What a plan tells the caller (the rest is for applyMerge). */
export function mergeResultOf(plan: MergePlan): MergeResult {
  const { moveIndex: _m, here: _h, safe: _s, handle: _d, ...result } = plan;
  return result;
}
