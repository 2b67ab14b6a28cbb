import { now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, sessionRefName } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { loadSession } from '../session/store.js';
import { locateSession } from '../session/worktrees.js';
import { forkedFromOf } from '../session/forked-from.js';
import type { SessionDoc } from '../session/session-file.js';
import { branchCheckedOutElsewhere } from '../../storage/git/worktree.js';
import { changedFiles, treeOf } from '../../storage/git/snapshot.js';
import { currentBranch, mergeTrees, treeWithPathsFrom, advanceIndex, advanceWorkTree } from '../../storage/git/merge.js';
import { isAncestor } from '../../storage/git/commits.js';
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

/**
 * Turns the session's final checkpoint into one ordinary commit on a branch, like a squash merge. When the branch
 * has moved since the session started, the two are merged three-way and any conflict refuses the merge. The
 * session's own workspace (04-agents/sessions/) is left out. On the checked-out branch the index follows the new
 * commit for the files it changed; the work tree is never written, so uncommitted work stays exactly as it was.
 * A session in another worktree (a fork) is found there; its files are not in this work tree yet, so the work tree
 * follows too, as a fast-forward `git merge` would, and local changes in those files refuse the merge.
 * Lock held, queued work settled.
 */
export async function mergeSession(project: Project, opts: MergeInput): Promise<MergeResult> {
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
  // On the checked-out branch the index moves first (it refuses before writing anything), then the branch. The
  // session's files are in this work tree already, unless it worked in another one (a fork): then they come too.
  // Files of this work tree as the fork's starting point (or its parent's last checkpoint) has them are in git:
  // the merge may write over them.
  const from = forkedFromOf(doc);
  const safe = from ? [from.commit, await readRef(repo, sessionRefName(from.session))].filter((c): c is string => typeof c === 'string' && c.length > 0) : [];
  const advance = placed.here ? (a: string, b: string) => advanceIndex(repo, a, b, files) : (a: string, b: string) => advanceWorkTree(repo, a, b, files, safe);
  if (branch === current) await advance(head, commit);
  try {
    await updateRef(repo, `refs/heads/${branch}`, commit, head, `specmap merge ${h.id}`);
  } catch (err) {
    if (branch === current) await advance(commit, head).catch(() => {});
    throw err;
  }
  return { session: h.id, branch, commit, parent: head, files, merged };
}
