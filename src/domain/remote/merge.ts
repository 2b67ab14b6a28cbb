import { now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, sessionRefName } from '../../shared/layout.js';
import { openProject, withProjectLock, type ProjectOptions } from '../project/project.js';
import { loadSession, resolveSession } from '../session/store.js';
import type { SessionDoc } from '../session/session-file.js';
import { settleLocked } from '../project/settle.js';
import {
  branchCheckedOutElsewhere, changedFiles, currentBranch, commitTree, mergeTrees, readRef, treeOf, treeWithPathsFrom, updateRef, advanceIndex,
} from '../../storage/git/index.js';

export interface MergeOptions extends ProjectOptions {
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
 */
export async function mergeSession(opts: MergeOptions): Promise<MergeResult> {
  const project = await openProject(opts);
  return withProjectLock(project, async () => {
    await settleLocked(project);
    const repo = project.git;
    const h = resolveSession(project, opts.session);
    const doc = loadSession(h);
    const tip = await readRef(repo, sessionRefName(h.id));
    const last = doc.checkpoints[doc.checkpoints.length - 1];
    if (!tip || !last || tip === doc.git?.base_commit) {
      throw new SpecmapError('NOTHING_TO_DO', `${h.id} has no checkpoints to merge (checkpoint first: specmap checkpoint ${h.id} "<description>")`);
    }
    const current = await currentBranch(repo);
    const branch = opts.into ?? current;
    if (!branch) throw new SpecmapError('CONFLICT', 'HEAD is detached: name the branch with --into <branch>');
    if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch) || branch.includes('..')) throw new SpecmapError('INVALID_INPUT', `invalid branch name ${JSON.stringify(branch.slice(0, 60))}`);
    const elsewhere = await branchCheckedOutElsewhere(repo, branch);
    if (elsewhere) throw new SpecmapError('CONFLICT', `${branch} is checked out in ${elsewhere}; run the merge there`);
    const head = await readRef(repo, `refs/heads/${branch}`);
    if (!head) throw new SpecmapError('INVALID_INPUT', `no branch named ${branch}`);

    let tree: string;
    let merged = false;
    if (head === doc.git?.base_commit) {
      tree = await treeOf(repo, tip);
    } else {
      const m = await mergeTrees(repo, head, tip);
      if (!m.clean) {
        throw new SpecmapError('CONFLICT', `${branch} moved since ${h.id} started and the two conflict in ${m.conflicts.join(', ')}; nothing was changed`);
      }
      tree = m.tree;
      merged = true;
    }
    tree = await treeWithPathsFrom(repo, tree, head, `${AGENTS_DIR}/sessions/`);
    const files = (await changedFiles(repo, head, tree)).map((c) => c.path);
    if (files.length === 0) throw new SpecmapError('NOTHING_TO_DO', `${branch} already has everything ${h.id} changed`);
    const commit = await commitTree(repo, { tree, parents: [head], message: squashMessage(doc, opts.message), date: now() });
    // On the checked-out branch the index moves first (it refuses before writing anything), then the branch.
    if (branch === current) await advanceIndex(repo, head, commit, files);
    try {
      await updateRef(repo, `refs/heads/${branch}`, commit, head, `specmap merge ${h.id}`);
    } catch (err) {
      if (branch === current) await advanceIndex(repo, commit, head, files).catch(() => {});
      throw err;
    }
    return { session: h.id, branch, commit, parent: head, files, merged };
  });
}
