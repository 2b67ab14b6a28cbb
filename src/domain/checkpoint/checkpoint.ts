import { mkdirSync, rmSync } from 'node:fs';
import { localDate, localTime, now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { formatCheckpointId } from '../../shared/ids.js';
import { abs, checkpointTagName, sessionRefName } from '../../shared/layout.js';
import { STATUS, checkpointManifestYaml, checkpointMessage, type FileStatus, type TurnTrailers } from './records.js';
import type { Project } from '../project/project.js';
import { emptyBaseCommit } from '../session/base-commit.js';
import { loadSession, saveSession, type SessionHandle } from '../session/store.js';
import { resolveActiveSession } from '../session/lookup.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';
import { isManagedPath, snapshotExcludes } from './snapshot-scope.js';
import { newFilesHoldingSecrets, secretGlobs } from './secret-files.js';
import { applyRawChanges, rawChanges, type RawChange } from '../../storage/git/tree-edit.js';
import { TEMP_GLOBS } from '../../shared/temp-name.js';
import { globToRegExp } from '../../shared/glob.js';
import { projectConfig } from '../project/config.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { hasObject, snapshot, treeOf, type Snapshot, type TreeChange } from '../../storage/git/snapshot.js';
import { commitTree, headCommit } from '../../storage/git/objects.js';
import { committerIdent, writeTagObject } from '../../storage/git/tags.js';
import { deleteRef, readRefAndTree, updateRef, updateRefs } from '../../storage/git/refs.js';
import { listTree } from '../../storage/git/tree-read.js';
import { started, type ProgressFn } from '../../shared/progress.js';

export interface CheckpointInput {
  session: string;
  description: string;
  /** Project-relative files or folders to snapshot (api/ resolves the user's); none means every change since the previous checkpoint. */
  paths?: string[];
  /** Write a checkpoint even when nothing changed. */
  allowEmpty?: boolean;
  onProgress?: ProgressFn;
}

export type { FileStatus } from './records.js';

export interface CheckpointOutcome {
  session: string;
  id: string;
  time: string;
  description: string;
  commit: string;
  parent: string;
  tag: string;
  ref: string;
  files: { path: string; status: FileStatus }[];
  /** Project-relative manifest path. */
  manifest: string;
  /** Secret files (config.yaml `secrets`) left out because they were not named exactly. */
  skippedSecrets: string[];
}

/** The description, trimmed; INVALID_INPUT when it is empty, over 2000 characters or holds control characters. */
export function checkDescription(text: string): string {
  const d = text.trim();
  if (d.length === 0) throw new SpecmapError('INVALID_INPUT', 'checkpoint description is empty: say what state this is', { kind: 'description' });
  if (d.length > 2000) throw new SpecmapError('INVALID_INPUT', `checkpoint description is ${d.length} characters long; the limit is 2000`, { kind: 'description' });
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(d)) {
    throw new SpecmapError('INVALID_INPUT', 'checkpoint description contains control characters', { kind: 'description' });
  }
  return d;
}

/**
 * Takes a checkpoint: one commit whose tree is the previous checkpoint's tree with the chosen files brought up to
 * date, on top of the session's ref (moved with compare-and-swap), tagged refs/tags/checkpoints/<session>/<id>,
 * and recorded in session.yaml and snapshots/<id>.yaml. The user's index, HEAD and files are not touched. Lock
 * held, queued work settled (it changes session.yaml, which must be read after it).
 */
export async function createCheckpoint(project: Project, input: CheckpointInput): Promise<CheckpointOutcome> {
  const description = checkDescription(input.description);
  const named = input.paths && input.paths.length > 0 ? [...new Set(input.paths)] : undefined;
  const h = await resolveActiveSession(project, input.session, "'specmap checkpoint'");
  refuseManaged(named ?? [], h.id);
  const doc = loadSession(h);
  return checkpointLocked(project, h, doc, { description, paths: named, allowEmpty: input.allowEmpty ?? false, onProgress: input.onProgress });
}

/** The session's own workspace files may be named; nothing else specmap manages. */
function refuseManaged(paths: string[], session: string): void {
  const managed = paths.find((p) => isManagedPath(p, session));
  if (managed) throw new SpecmapError('INVALID_INPUT', `${managed} is managed by specmap and never snapshotted`, { kind: 'managed-path' });
}

export interface LockedCheckpointInput {
  description: string;
  paths?: string[];
  allowEmpty: boolean;
  /** The tree to commit, already made by nextCheckpointTree (restore checks it before its safety checkpoint). */
  tree?: string;
  /** The session's tip and its tree, when the caller read them under the same lock (sessionTipAndTree). */
  base?: { tip: string; tree: string };
  /** An agent's turn (its hooks took the checkpoint): recorded in the message's trailers. */
  turn?: TurnTrailers;
  onProgress?: ProgressFn;
}

/** The tree the next checkpoint of `h` would have with no files named: the project as it is now. */
export async function nextCheckpointTree(project: Project, h: SessionHandle, doc: SessionDoc): Promise<string> {
  return workingTree(project, h.id, (await sessionTipAndTree(project, h.id, doc)).tree);
}

/** `baseTree` with `paths` (every change when undefined) brought up to date, in the scope of session `id`. */
async function workingTree(project: Project, id: string, baseTree: string, paths?: string[], onProgress?: ProgressFn): Promise<string> {
  return (await workingSnapshot(project, id, baseTree, paths, onProgress)).tree;
}

/** workingTree, with the secret files it left out (those not named exactly; specmap's temp files are not listed). */
async function workingSnapshot(project: Project, id: string, baseTree: string, paths?: string[], onProgress?: ProgressFn): Promise<Snapshot> {
  const snap = await projectSnapshot(project, { session: id, baseTree, paths, reuseIndexAs: id, onProgress });
  return { tree: snap.tree, skipped: snap.skipped.filter((p) => !TEMP_MATCH.some((r) => r.test(p))).sort() };
}

const TEMP_MATCH = TEMP_GLOBS.map(globToRegExp);

/**
 * `baseTree` with the project's current state of `paths` (every change when undefined), in a checkpoint's scope:
 * specmap's managed paths, secret files and specmap's temp files as `baseTree` has them, the workspace of `session` (none: no workspace)
 * included. `reuseIndexAs` names the saved index to start from (see snapshotTree).
 */
export async function projectTree(
  project: Project,
  opts: { session: string | undefined; baseTree: string; paths?: string[]; reuseIndexAs: string; onProgress?: ProgressFn },
): Promise<string> {
  return (await projectSnapshot(project, opts)).tree;
}

async function projectSnapshot(
  project: Project,
  opts: { session: string | undefined; baseTree: string; paths?: string[]; reuseIndexAs: string; onProgress?: ProgressFn },
): Promise<Snapshot> {
  const { excludes, inBase } = await snapshotExcludes(project, opts.session, opts.baseTree);
  // specmap's own temp files (an interrupted restore's staged files, say) are never project state.
  const skip = [...secretGlobs(projectConfig(project)), ...TEMP_GLOBS];
  const onProgress = opts.onProgress;
  onProgress?.(started('snapshot'));
  return snapshot(project.git, {
    baseTree: opts.baseTree, paths: opts.paths, excludes, excludesInBase: inBase, reuseIndexAs: opts.reuseIndexAs, skip,
    onProgress: onProgress && ((files) => onProgress({ ...started('snapshot'), files })),
  });
}

/**
 * The checkpoint itself, for callers that already hold the project lock (restore's safety checkpoint). They must
 * have settled queued work (settleLocked) before loading `doc`.
 */
export async function checkpointLocked(
  project: Project,
  h: SessionHandle,
  doc: SessionDoc,
  input: LockedCheckpointInput,
): Promise<CheckpointOutcome> {
  const repo = project.git;
  const { description } = input;
  const at = now();
  const ref = sessionRefName(h.id);
  // The tag's tagger line does not depend on anything below: asked for now, it costs no wait later.
  const tagger = committerIdent(repo, at);
  tagger.catch(() => {});
  const { tip, tree: baseTree } = input.base ?? (await sessionTipAndTree(project, h.id, doc));
  let { tree, skipped } = input.tree ? { tree: input.tree, skipped: [] as string[] } : await workingSnapshot(project, h.id, baseTree, input.paths, input.onProgress);
  input.onProgress?.(started('record'));
  let changes: TreeChange[] = await rawChanges(repo, baseTree, tree);
  // A new file holding a key is left out like a secret file, unless named exactly.
  const named = new Set(input.paths ?? []);
  const keyed = await newFilesHoldingSecrets(repo, (changes as RawChange[]).filter((c) => !named.has(c.path)));
  if (keyed.length > 0) {
    tree = await applyRawChanges(repo, tree, keyed.map((c) => ({ ...c, status: 'D' as const })));
    const dropped = new Set(keyed.map((c) => c.path));
    changes = changes.filter((c) => !dropped.has(c.path));
    skipped = [...skipped, ...dropped].sort();
  }
  if (changes.length === 0 && !input.allowEmpty) {
    const last = doc.checkpoints[doc.checkpoints.length - 1];
    const since = last ? last.id : 'the session started';
    const what = input.paths ? input.paths.join(', ') : 'the working tree';
    const left = skipped.length > 0 ? ` (left out secret files: ${skipped.join(', ')}; name one to take it)` : '';
    throw new SpecmapError('NOTHING_TO_DO', `nothing changed in ${what} since ${since}${left}`, { kind: 'unchanged' });
  }

  const id = nextCheckpointId(doc, at);
  const files = await snapshotFiles(project, h.id, tree, input.paths, changes);
  const message = checkpointMessage({ description, session: h.id, checkpoint: id, agent: doc.session.agent, ...(input.turn ? { turn: input.turn } : {}) });
  const commit = await commitTree(repo, { tree, parents: [tip], message, date: at });
  const tag = checkpointTagName(h.id, id);
  const tagOid = await writeTagObject(repo, { name: tag, target: commit, message, date: at, tagger: await tagger });
  // The session ref and the tag move together or not at all.
  await updateRefs(repo, [{ ref, next: commit, expected: tip }, { ref: `refs/tags/${tag}`, next: tagOid, expected: undefined }], `specmap checkpoint ${id}`);
  const manifestRel = `${h.relDir}/snapshots/${id}.yaml`;
  try {
    const entry: CheckpointEntry = {
      id,
      time: localTime(at),
      description,
      files_snapshot: files.map((f) => f.path),
      commit,
    };
    if (localDate(at) !== doc.session.date) entry.date = localDate(at);
    mkdirSync(abs(h.dir, 'snapshots'), { recursive: true });
    writeFileAtomic(abs(project.root, manifestRel), checkpointManifestYaml({ session: h.id, checkpoint: entry.id, date: (entry.date as string | undefined) ?? doc.session.date, time: entry.time, description: entry.description, agent: doc.session.agent }, { commit, parent: tip, tree, tag: `refs/tags/${tag}` }, files));
    doc.checkpoints.push(entry);
    doc.git = { ...(doc.git ?? { ref, base_commit: tip }), ref };
    saveSession(h, doc);
  } catch (err) {
    // Leave git as it was: no tag, the ref back on the previous tip, no manifest.
    await deleteRef(repo, `refs/tags/${tag}`, tagOid).catch(() => {});
    await updateRef(repo, ref, tip, commit, `specmap: undo checkpoint ${id}`).catch(() => {});
    rmSync(abs(project.root, manifestRel), { force: true });
    throw err;
  }
  return {
    session: h.id, id, time: localTime(at), description, commit, parent: tip, tag: `refs/tags/${tag}`, ref, files,
    manifest: manifestRel, skippedSecrets: skipped,
  };
}

/**
 * Where the session's chain ends: its ref, or — when the ref was deleted — the last recorded checkpoint or base
 * commit that still exists, or HEAD for a session written by a tool without a git side. The ref is (re)created.
 */
export async function sessionTip(project: Project, id: string, doc: SessionDoc): Promise<string> {
  return (await sessionTipAndTree(project, id, doc)).tip;
}

/** sessionTip and its tree; with the ref there (the usual case) in one git call. */
export async function sessionTipAndTree(project: Project, id: string, doc: SessionDoc): Promise<{ tip: string; tree: string }> {
  const repo = project.git;
  const ref = sessionRefName(id);
  const current = await readRefAndTree(repo, ref);
  if (current) return { tip: current.oid, tree: current.tree };
  const candidates = [...doc.checkpoints.map((c) => c.commit).reverse(), doc.git?.base_commit];
  let start: string | undefined;
  for (const c of candidates) {
    if (typeof c === 'string' && (await hasObject(repo, c))) {
      start = c;
      break;
    }
  }
  start ??= await headCommit(repo);
  start ??= await emptyBaseCommit(repo, id, now());
  await updateRef(repo, ref, start, undefined, `specmap: recreate ${ref}`);
  if (!doc.git) doc.git = { ref, base_commit: start };
  return { tip: start, tree: await treeOf(repo, start) };
}

/** The id the next checkpoint of `doc` taken at `at` gets. */
export function nextCheckpointId(doc: SessionDoc, at: Date): string {
  return formatCheckpointId(nextCheckpointNumber(doc), localTime(at));
}

function nextCheckpointNumber(doc: SessionDoc): number {
  let max = doc.checkpoints.length;
  for (const c of doc.checkpoints) {
    const m = /^checkpoint-(\d+)-/.exec(c.id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

async function snapshotFiles(
  project: Project,
  session: string,
  tree: string,
  paths: string[] | undefined,
  changes: TreeChange[],
): Promise<{ path: string; status: FileStatus }[]> {
  const status = new Map(changes.map((c) => [c.path, STATUS[c.status]]));
  if (!paths) return changes.map((c) => ({ path: c.path, status: STATUS[c.status] }));
  // Named folders expand to the files in them (not the managed ones the base commit may hold); a named file that
  // was deleted is still listed.
  const present = (await listTree(project.git, tree, paths)).map((e) => e.path).filter((p) => !isManagedPath(p, session));
  const all = new Set([...present, ...changes.map((c) => c.path)]);
  return [...all].sort().map((path) => ({ path, status: status.get(path) ?? 'unchanged' }));
}
