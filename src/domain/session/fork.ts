import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { localDate, localTime, now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { checkAgent, checkFocus } from '../../shared/ids.js';
import { sessionRelDir } from '../../shared/layout.js';
import type { CheckpointSpec } from '../../shared/checkpoint-spec.js';
import type { Project } from '../project/project.js';
import { ensureLayout } from '../project/init.js';
import { resolveCheckpointEntry } from '../checkpoint/checkpoint-ref.js';
import { loadSession } from './store.js';
import type { ForkedFrom } from './forked-from.js';
import { claimSessionRef, createWorkspace, newSessionDoc } from './start.js';
import { locateSession, worktreeProjects } from './worktrees.js';
import { findRepo } from '../../storage/git/repo.js';
import { isInside } from '../../storage/fs/project-path.js';
import { addWorktree, removeWorktree } from '../../storage/git/worktree.js';
import { treeWithPathsFrom } from '../../storage/git/merge.js';
import { commitTree, emptyTree, userIdentity } from '../../storage/git/objects.js';
import { hasObject, treeOf } from '../../storage/git/snapshot.js';
import { deleteRef } from '../../storage/git/refs.js';

export interface ForkInput {
  /** The checkpoint to start from (its session: id, prefix or `@`, in any worktree; its checkpoint: id, prefix or ~N). */
  from: CheckpointSpec;
  /** The new session's focus (default: the parent's). */
  focus?: string;
  /** The agent working in it (default: the parent's). */
  agent?: string;
  /** Absolute folder for the new worktree (default: `<main worktree>-<new id>` beside the main worktree). */
  worktree?: string;
}

export interface ForkOutcome {
  id: string;
  focus: string;
  agent: string;
  date: string;
  startTime: string;
  /** Absolute path of the new linked worktree. */
  worktree: string;
  /** The workspace, relative to the new worktree's root, with a trailing slash. */
  workspace: string;
  ref: string;
  baseCommit: string;
  forkedFrom: ForkedFrom;
  /** The worktree the parent session lives in. */
  parentWorktree: string;
}

/** The base commit of a fork: its message's last paragraph holds the trailers that tie it to its parent. */
function forkBaseMessage(id: string, from: ForkedFrom, description: string): string {
  const one = (v: string) => v.replace(/[\r\n]+/g, ' ');
  return `specmap: fork of ${from.session}:${from.checkpoint}\n\n${one(description)}\n\n`
    + `Session-Id: ${id}\nForked-From: ${from.session}:${from.checkpoint}\nForked-From-Commit: ${from.commit}\n`;
}

/**
 * Starts a session from a checkpoint of another one, in a new linked worktree of its own, so agents working on the
 * same problem never share (and revert) one working directory. The new session's base is a commit whose parent is
 * the checkpoint and whose tree is the checkpoint's project state without the parent's workspace (a worktree with
 * the parent's folder in it would have two active sessions); `forked_from` in its session.yaml and a `Forked-From`
 * trailer on that base commit name the parent. The worktree is checked out at that commit with a detached HEAD:
 * no branch is created or moved. The id is the next free number of the day across every worktree's folders and
 * refs/sessions/* (shared by all worktrees). Lock held (the lock is the repository's, so it covers the new worktree).
 */
export async function forkSession(project: Project, input: ForkInput): Promise<ForkOutcome> {
  const parent = await locateSession(project, input.from.session);
  const parentDoc = loadSession(parent.handle);
  const { entry } = resolveCheckpointEntry(parentDoc, input.from.checkpoint);
  const repo = project.git;
  if (!entry.commit || !(await hasObject(repo, entry.commit))) {
    throw new SpecmapError('CHECKPOINT_NOT_FOUND', `${parent.handle.id}:${entry.id} has no commit in git to fork from (a session written by the Python tool, or its objects were pruned)`, { kind: 'no-commit' });
  }
  const { text: focus, slug } = checkFocus(input.focus ?? parentDoc.session.focus ?? parent.handle.id);
  const agent = checkAgent(input.agent ?? (parentDoc.session.agent || 'claude'));
  const trees = await worktreeProjects(project);
  if (input.worktree !== undefined) checkWorktreeDir(input.worktree, trees.map((t) => t.project.root));

  const forkedFrom: ForkedFrom = { session: parent.handle.id, checkpoint: entry.id, commit: entry.commit };
  // The checkpoint's tree carries the parent's own workspace; the fork's worktree must not.
  const tree = await treeWithPathsFrom(repo, await treeOf(repo, entry.commit), await emptyTree(repo), `${sessionRelDir('active', parent.handle.id)}/`);
  const at = now();
  const date = localDate(at);
  const startTime = localTime(at);
  const { id, ref, baseCommit } = await claimSessionRef(project, date, slug, at, (newId) =>
    commitTree(repo, { tree, parents: [entry.commit!], message: forkBaseMessage(newId, forkedFrom, entry.description), date: at }));

  const main = trees.find((t) => t.main)?.project.root ?? project.root;
  const dir = input.worktree ?? join(dirname(main), `${basename(main)}-${id}`);
  let added = false;
  try {
    checkWorktreeDir(dir, trees.map((t) => t.project.root));
    await addWorktree(repo, dir, baseCommit);
    added = true;
    const git = await findRepo(dir);
    const fork: Project = { root: git.root, git };
    ensureLayout(fork);
    const user = await userIdentity(repo);
    const doc = newSessionDoc({ id, date, startTime, focus, agent, user, ref, baseCommit }, { forked_from: { ...forkedFrom } });
    await createWorkspace(fork, id, doc, {});
    return {
      id, focus, agent, date, startTime, worktree: fork.root, workspace: `${sessionRelDir('active', id)}/`, ref, baseCommit,
      forkedFrom, parentWorktree: parent.project.root,
    };
  } catch (err) {
    // Nothing of the fork stays: not its worktree, not its ref.
    if (added) await removeWorktree(repo, dir, true).catch(() => {});
    await deleteRef(repo, ref, baseCommit).catch(() => {});
    throw err;
  }
}

/** A new worktree's folder: absent or empty, and outside every worktree (a checkpoint there would take it in). */
function checkWorktreeDir(dir: string, roots: string[]): void {
  const inside = roots.find((r) => isInside(r, dir));
  if (inside) throw new SpecmapError('INVALID_INPUT', `${dir} is inside the worktree ${inside}: put the fork's worktree outside every worktree (default: beside the main one)`, { kind: 'worktree-inside' });
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory() || readdirSync(dir).length > 0) {
    throw new SpecmapError('CONFLICT', `${dir} already exists and is not an empty folder: name another with --worktree`, { kind: 'worktree-exists' });
  }
}
