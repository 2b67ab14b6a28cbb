import { resolveAnySession } from '../session/lookup.js';
import { SpecmapError } from '../../shared/errors.js';
import type { CheckpointSpec } from '../../shared/checkpoint-spec.js';
import { resolveCheckpointEntry } from './checkpoint-ref.js';
import { sessionEntry, type LogEntry } from '../session/log.js';
import type { Project } from '../project/project.js';
import { loadSession } from '../session/store.js';
import { snapshotExcludes } from './snapshot-scope.js';
import { diffText } from '../../storage/git/diff.js';
import { snapshotTree, treeOf } from '../../storage/git/snapshot.js';
import { promptsForCheckpoint } from '../agent/transcripts.js';

export interface ShowCheckpointInput extends CheckpointSpec {
  color?: boolean;
  /** Also the agent prompts that led to the checkpoint (from the stored transcript). */
  transcript?: boolean;
}

/** Finds one checkpoint (of this worktree's, another worktree's or a fetched session) and its log entry. */
export async function findCheckpoint(project: Project, spec: CheckpointSpec): Promise<LogEntry & { elsewhere: boolean }> {
  const h = await resolveAnySession(project, spec.session);
  const doc = loadSession(h);
  const { index } = resolveCheckpointEntry(doc, spec.checkpoint);
  return { ...(await sessionEntry(project, h, doc, index)), elsewhere: h.worktree !== undefined };
}

/** One checkpoint with its patch against its parent, like `git show`. */
export async function showCheckpoint(project: Project, input: ShowCheckpointInput): Promise<LogEntry & { prompts?: string[] }> {
  const { elsewhere: _, ...e }: LogEntry & { elsewhere: boolean; prompts?: string[] } = await findCheckpoint(project, input);
  if (e.inGit && e.commit) {
    e.stat = await diffText(project.git, `${e.commit}^`, e.commit, { stat: true, patch: false, color: input.color });
    e.patch = await diffText(project.git, `${e.commit}^`, e.commit, { patch: true, color: input.color });
  }
  if (input.transcript) {
    if (!e.inGit || !e.commit) {
      throw new SpecmapError('CHECKPOINT_NOT_FOUND', `${e.session}:${e.id} is not in git, so neither is its transcript`, { kind: 'not-in-git' });
    }
    e.prompts = await promptsForCheckpoint(project, e.session, e.id, e.commit, e.number > 1 ? `${e.commit}^` : undefined);
  }
  return e;
}

export interface DiffInput {
  from: CheckpointSpec;
  /** Another checkpoint; undefined compares with the working tree as a checkpoint would see it now. */
  to?: CheckpointSpec;
  stat?: boolean;
  color?: boolean;
}

export interface DiffOutcome {
  from: { session: string; id: string; commit: string };
  to: { session: string; id: string; commit: string } | 'working tree';
  text: string;
}

/** The diff between two checkpoints, or from one to the working tree (untracked files included, as a checkpoint would). */
export async function diffCheckpoints(project: Project, input: DiffInput): Promise<DiffOutcome> {
  const a = await findCheckpoint(project, input.from);
  const aCommit = needCommit(a);
  let toRev: string;
  let to: DiffOutcome['to'];
  if (input.to !== undefined) {
    const b = await findCheckpoint(project, input.to);
    toRev = needCommit(b);
    to = { session: b.session, id: b.id, commit: toRev };
  } else {
    // Untracked files count, as they would in the next checkpoint; built with a temporary index. A fork's
    // checkpoint against this worktree: its workspace (in its own worktree) is left out like every other.
    const baseTree = await treeOf(project.git, aCommit);
    const { excludes, inBase } = await snapshotExcludes(project, a.elsewhere ? undefined : a.session, baseTree);
    toRev = await snapshotTree(project.git, { baseTree, excludes, excludesInBase: inBase });
    to = 'working tree';
  }
  const text = await diffText(project.git, aCommit, toRev, { stat: input.stat, patch: !input.stat, color: input.color });
  return { from: { session: a.session, id: a.id, commit: aCommit }, to, text };
}

function needCommit(e: LogEntry): string {
  if (e.commit && e.inGit) return e.commit;
  const why = e.commit ? 'its git objects are gone' : 'it was written without git (file copies only)';
  throw new SpecmapError('CHECKPOINT_NOT_FOUND', `cannot diff ${e.session}:${e.id}: ${why}; 'specmap restore' can still read its files`, { kind: 'not-in-git' });
}
