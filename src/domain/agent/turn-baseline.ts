import { sha256Hex } from '../../shared/node-crypto.js';
import type { Project } from '../project/project.js';
import { projectTree } from '../checkpoint/checkpoint.js';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { projectConfig } from '../project/config.js';
import { compileRules, redact } from './redact.js';
import { abs } from '../../shared/layout.js';
import { pathBytes } from '../../shared/path-text.js';
import { emptyTree, headCommit, writeBlob } from '../../storage/git/objects.js';
import { deleteRef, readRef, updateRef } from '../../storage/git/refs.js';
import { forgetSavedIndex, treeOf } from '../../storage/git/snapshot.js';
import { applyRawChanges, rawChanges, type RawChange } from '../../storage/git/tree-edit.js';

/**
 * A conversation's turn baseline: the tree of the project (in a checkpoint's scope, secrets left out) when the turn
 * began, kept as `refs/specmap/turns/<conversation>`. A turn's checkpoint holds what changed since — the agent's
 * edits and its shell's side effects — never files that were lying untracked before the turn.
 */
const PREFIX = 'refs/specmap/turns/';

/** The conversation id as a ref name component: itself when it is a plain token, else a hash of it. */
function key(conversation: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(conversation) ? conversation : sha256Hex(conversation).slice(0, 40);
}

const refOf = (conversation: string) => `${PREFIX}${key(conversation)}`;
/** The saved index a conversation's snapshots start from: each starts where the previous one ended. */
const indexOf = (conversation: string) => `turn-${key(conversation)}`;

/** The project now, in the scope of `session` (none yet: every workspace left out). */
async function projectNow(project: Project, conversation: string, session: string | undefined, from: string | undefined): Promise<string> {
  const head = from ? undefined : await headCommit(project.git);
  const baseTree = from ?? (head ? await treeOf(project.git, head) : await emptyTree(project.git));
  return projectTree(project, { session, baseTree, reuseIndexAs: indexOf(conversation) });
}

/** The turn's prompt, redacted, for agents whose turn end carries neither prompt nor transcript. */
const promptFile = (project: Project, conversation: string) => join(project.git.gitDir, 'specmap', 'turns', `${key(conversation)}.prompt`);

/** Takes the baseline of a turn that is beginning, and keeps its prompt (redacted) for the turn's checkpoint. Lock held. */
export async function takeTurnBaseline(project: Project, conversation: string, session: string | undefined, prompt?: string): Promise<void> {
  const previous = await readRef(project.git, refOf(conversation));
  const tree = await projectNow(project, conversation, session, previous);
  if (tree !== previous) await updateRef(project.git, refOf(conversation), tree, previous, 'specmap: turn baseline');
  const file = promptFile(project, conversation);
  if (prompt === undefined || prompt.trim() === '') {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, redact(prompt.slice(0, 4096), compileRules(projectConfig(project).redactPatterns)));
}

/** The prompt of the conversation's current turn, if its start said one. */
export function turnPrompt(project: Project, conversation: string): string | undefined {
  try {
    return readFileSync(promptFile(project, conversation), 'utf8');
  } catch {
    return undefined;
  }
}

export interface TurnChanges {
  /** The baseline the changes are counted from. */
  baseline: string;
  /** The project now (the tree the next baseline is). */
  tree: string;
  /** What changed since the baseline, entry by entry. */
  changes: RawChange[];
}

/** What the conversation changed since its baseline; undefined when it has none (its hooks never saw a turn begin). Lock held. */
export async function changesSinceBaseline(project: Project, conversation: string, session: string | undefined): Promise<TurnChanges | undefined> {
  const baseline = await readRef(project.git, refOf(conversation));
  if (!baseline) return undefined;
  const tree = await projectNow(project, conversation, session, baseline);
  return { baseline, tree, changes: await rawChanges(project.git, baseline, tree) };
}

/**
 * The baseline moves on to `tree` (what a checkpoint just took), so the next changes are counted from there;
 * `previous` is where it was, when the caller read it under the same lock. Lock held.
 */
export async function moveTurnBaseline(project: Project, conversation: string, tree: string, previous?: string): Promise<void> {
  previous ??= await readRef(project.git, refOf(conversation));
  if (tree !== previous) await updateRef(project.git, refOf(conversation), tree, previous, 'specmap: turn baseline');
}

/** Drops the conversation's baseline and saved index (the conversation ended). Lock held. */
export async function dropTurnBaseline(project: Project, conversation: string): Promise<void> {
  const previous = await readRef(project.git, refOf(conversation));
  if (previous) await deleteRef(project.git, refOf(conversation), previous);
  rmSync(promptFile(project, conversation), { force: true });
  rmSync(openFile(project, conversation), { force: true });
  forgetSavedIndex(project.git, indexOf(conversation));
}

/** Present from a turn's start to its end: the agent is working, so what changes now is its turn's. */
const openFile = (project: Project, conversation: string) => join(project.git.gitDir, 'specmap', 'turns', `${key(conversation)}.open`);

/** A turn began (its baseline was just taken). Lock held. */
export function markTurnOpen(project: Project, conversation: string): void {
  const file = openFile(project, conversation);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, '');
}

/** The turn ended. Lock held. */
export function markTurnClosed(project: Project, conversation: string): void {
  rmSync(openFile(project, conversation), { force: true });
}

/**
 * The baseline of the conversation's turn when one is running (begun and not yet ended): what changed since it is
 * the agent's work in progress. Undefined between turns. Lock held.
 */
export async function runningTurnBaseline(project: Project, conversation: string): Promise<string | undefined> {
  if (!existsSync(openFile(project, conversation))) return undefined;
  return readRef(project.git, refOf(conversation));
}

/**
 * A project file specmap itself just changed (its line in .gitignore, when a conversation's session opened in a
 * project never initialised) goes into the baseline as it is now, so the turn is not credited with it. Lock held.
 */
export async function takeIntoBaseline(project: Project, conversation: string, path: string): Promise<void> {
  const baseline = await readRef(project.git, refOf(conversation));
  if (!baseline) return;
  const oid = await writeBlob(project.git, readFileSync(abs(project.root, path)));
  await moveTurnBaseline(project, conversation, await applyRawChanges(project.git, baseline, [{ status: 'M', mode: '100644', oid, path, raw: pathBytes(path) }]));
}
