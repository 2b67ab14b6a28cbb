import { now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, sessionRefName } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { loadSession, resolveSession } from '../session/store.js';
import type { SessionDoc } from '../session/session-file.js';
import { branchCheckedOutElsewhere } from '../../storage/git/worktree.js';
import { changedFiles, treeOf } from '../../storage/git/snapshot.js';
import { currentBranch, mergeTrees, treeWithPathsFrom, advanceIndex } from '../../storage/git/merge.js';
import { commitTree } from '../../storage/git/objects.js';
import { readRef, updateRef } from '../../storage/git/refs.js';

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
}

/**
 * Works out the merge of a session's final checkpoint into a branch, like a squash merge, and writes its commit
 * object (nothing refers to it until applyMerge moves the branch). When the branch has moved since the session
 * started, the two are merged three-way and any conflict refuses the merge. The session's own workspace
 * (04-agents/sessions/) is left out. Lock held, queued work settled (or, in a dry run, reported).
 */
export async function planMerge(project: Project, opts: MergeInput): Promise<MergePlan> {
  const repo = project.git;
  const h = resolveSession(project, opts.session);
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
  if (head === doc.git?.base_commit) {
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
  return { session: h.id, branch, commit, parent: head, files, merged, moveIndex: branch === current };
}

/**
 * Moves the branch to the planned commit. On the checked-out branch the index moves first (it refuses before
 * writing anything), then the branch; the work tree is never written, so uncommitted work stays exactly as it was.
 * Lock held.
 */
export async function applyMerge(project: Project, plan: MergePlan): Promise<MergeResult> {
  const repo = project.git;
  if (plan.moveIndex) await advanceIndex(repo, plan.parent, plan.commit, plan.files);
  try {
    await updateRef(repo, `refs/heads/${plan.branch}`, plan.commit, plan.parent, `specmap merge ${plan.session}`);
  } catch (err) {
    if (plan.moveIndex) await advanceIndex(repo, plan.commit, plan.parent, plan.files).catch(() => {});
    throw err;
  }
  const { moveIndex: _, ...result } = plan;
  return result;
}
