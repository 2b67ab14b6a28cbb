import {
  constants, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, rmdirSync, symlinkSync, unlinkSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { checkpointLocked, nextCheckpointId, nextCheckpointTree, sessionTip } from '../checkpoint/checkpoint.js';
import { now } from '../../shared/clock.js';
import { filesFromGit, readCheckpointFiles, withZipFallback, type CheckpointFile, type CheckpointFiles } from '../checkpoint/files.js';
import { AGENTS_DIR, TRACKING_FILE, sessionRelDir } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';
import { listSessionHandles, loadSession, type SessionHandle } from '../session/store.js';
import { tempPathFor } from '../../storage/fs/atomic-write.js';
import { sortedEntries } from '../../storage/fs/read-dir.js';
import { pathBytes, pathText, pathWithin, rawJoin, shellWord } from '../../shared/path-text.js';
import { changedFiles, hasObject, treeOf } from '../../storage/git/snapshot.js';
import { applyRawChanges, rawChanges } from '../../storage/git/tree-edit.js';
import { pathsEverHeld } from '../../storage/git/commits.js';
import { scratchPath } from '../../storage/git/temp-index.js';
import { killPoint } from '../../shared/kill-point.js';
import { journalTemps } from '../project/leftovers.js';
import { started, type ProgressFn } from '../../shared/progress.js';

export interface InPlaceResult {
  source: CheckpointFiles['source'];
  written: string[];
  deleted: string[];
  skipped: string[];
  /** The safety checkpoint taken first; a plan's has no commit yet, and the id it would get now. */
  safety: { session: string; checkpoint: string; commit: string | null; undo: string };
}

/** A restore worked out and checked, nothing written yet: what applyInPlace carries out. */
export interface InPlacePlan extends InPlaceResult {
  h: SessionHandle;
  entry: CheckpointEntry;
  named: string[] | undefined;
  target: SessionHandle;
  targetDoc: SessionDoc;
  read: CheckpointFiles;
  writes: Write[];
  removes: string[];
  safetyTree: string | undefined;
}

/**
 * What a whole-checkpoint restore leaves alone: specmap's own records (every session workspace, backups,
 * summaries) are a log of what happened, not project state to rewind. Named paths may still reach into them.
 */
const kept = (path: string) => pathWithin(path, AGENTS_DIR) || path === TRACKING_FILE;

const under = (path: string, scope: string[] | undefined) => scope === undefined || scope.some((s) => pathWithin(path, s));

/** A file to write: as the checkpoint holds it (`file`, staged under its own name) and where it goes. */
interface Write {
  file: CheckpointFile;
  path: string;
  raw: Buffer;
}

/**
 * Restores a checkpoint into the working tree, all or nothing:
 * 1. (planInPlace) works out every file to write and every file to remove, and checks each target (no write
 *    through a symbolic link, no file where a folder must go); a refused restore writes nothing, not even a
 *    checkpoint; a dry run stops here;
 * 2. (applyInPlace) writes the files to a staging folder (from git exactly as `git checkout` writes them), then moves each to a
 *    temp name beside its target (journalled first, swept by the next command if this one is killed, never taken
 *    into a checkpoint);
 * 3. takes the safety checkpoint (the very tree step 1 compared against);
 * 4. removes, then renames the staged files onto their targets.
 *
 * From git, a restore without paths brings the project back to the checkpoint's state: files that differ are
 * written, and files some checkpoint of the session held but the restored one does not are removed; nothing that
 * no checkpoint ever held (untracked files no checkpoint took, ignored or excluded files) is touched, or taken into
 * the safety checkpoint. With paths, the same within those paths.
 * From file copies or a ZIP (git objects gone), the checkpoint's own files are written.
 */
export async function planInPlace(
  project: Project,
  h: SessionHandle,
  doc: SessionDoc,
  entry: CheckpointEntry,
  named: string[] | undefined,
  onProgress?: ProgressFn,
): Promise<InPlacePlan> {
  const target = safetyTarget(project, h, entry.id);
  const targetDoc = target === h ? doc : loadSession(target);
  let read: CheckpointFiles;
  let writes: Write[];
  let removes: string[];
  let safetyTree: string | undefined;
  if (entry.commit && (await hasObject(project.git, entry.commit))) {
    read = await withZipFallback(project, h, entry, await filesFromGit(project, entry.commit, named));
    onProgress?.(started('snapshot'));
    const now = await nextCheckpointTree(project, target, targetDoc);
    const changes = (await changedFiles(project.git, entry.commit, now))
      .filter((c) => under(c.path, named) && (named !== undefined || !kept(c.path)));
    const differing = new Set(changes.filter((c) => c.status !== 'A').map((c) => c.path));
    writes = read.files.filter((f) => differing.has(f.path)).map((f) => ({ file: f, path: f.path, raw: f.raw }));
    // Only a file some checkpoint of the session held is removed: one no checkpoint ever held — lying untracked
    // before an agent's turn, say — is never deleted, and never taken into the safety checkpoint either.
    const targetTip = await sessionTip(project, target.id, targetDoc);
    const candidates = changes.filter((c) => c.status === 'A').map((c) => c.path);
    const held = new Set<string>();
    if (candidates.length > 0) {
      for (const [s, d] of target === h ? [[target, targetDoc] as const] : [[target, targetDoc] as const, [h, doc] as const]) {
        const base = typeof d.git?.base_commit === 'string' ? d.git.base_commit : undefined;
        for (const p of await pathsEverHeld(project.git, { tip: await sessionTip(project, s.id, d), base }, candidates)) held.add(p);
      }
    }
    // An entry standing where a restored file's folder must go goes too (kept in the safety checkpoint), as with
    // git checkout.
    removes = candidates.filter((p) => held.has(p) || writes.some((w) => pathWithin(w.path, p)));
    const touched = new Set([...writes.map((w) => w.path), ...removes]);
    const tipTree = await treeOf(project.git, targetTip);
    const unheld = new Set((await changedFiles(project.git, tipTree, now)).filter((c) => c.status === 'A' && !touched.has(c.path)).map((c) => c.path));
    safetyTree = unheld.size === 0 ? now : await applyRawChanges(project.git, tipTree, (await rawChanges(project.git, tipTree, now)).filter((c) => !unheld.has(c.path)));
  } else {
    read = await readCheckpointFiles(project, h, entry, named);
    writes = read.files.map((f) => ({ file: f, ...legacyTarget(project, h, f.path) }));
    removes = read.deleted.map((p) => legacyTarget(project, h, p).path).filter((p) => lstatOrNull(rawJoin(project.root, pathBytes(p))) !== null);
  }
  if (writes.length === 0 && removes.length === 0) {
    const why = read.skipped.length > 0 ? `: ${read.skipped.join('; ')}` : '';
    throw new SpecmapError('NOTHING_TO_DO', read.files.length > 0 || read.deleted.length > 0
      ? `the working tree already matches ${h.id}:${entry.id}${named ? ` in ${named.join(', ')}` : ''}; nothing to restore`
      : `nothing to restore from ${h.id}:${entry.id}${why}`);
  }
  checkTargets(project, writes, removes);
  if (h.worktree) refuseOtherWorkspace(h, [...writes.map((w) => w.path), ...removes]);
  const safetyId = nextCheckpointId(targetDoc, now());
  return {
    h, entry, named, target, targetDoc, read, writes, removes, safetyTree,
    source: read.source,
    // What applyInPlace reports: every file but a submodule's folder; the removals that find a file.
    written: writes.filter((w) => w.file.kind !== 'submodule').map((w) => w.path),
    deleted: removes.filter((p) => { const st = lstatOrNull(rawJoin(project.root, pathBytes(p))); return st !== null && !st.isDirectory(); }).sort(),
    skipped: read.skipped,
    safety: { ...safetyOf(target.id, safetyId, named), commit: null },
  };
}

/** Carries out planInPlace's plan: steps 2 to 4 above. Lock held. */
export async function applyInPlace(project: Project, plan: InPlacePlan, onProgress?: ProgressFn): Promise<InPlaceResult> {
  const { h, entry, named, target, targetDoc, read, writes, removes, safetyTree } = plan;
  const staging = scratchPath(project.git, 'restore');
  rmSync(staging, { recursive: true, force: true });
  let placed: Placed | undefined;
  try {
    // Every byte is on the target's file system before the safety checkpoint and before anything is replaced: a
    // full disk (NO_SPACE) or any other failure here leaves the working tree as it was.
    onProgress?.(started('restore', writes.length));
    await read.stage(staging, writes.map((w) => w.file), onProgress && ((done, total) => onProgress({ ...started('restore', total), files: done })));
    placed = placeBeside(project, staging, writes, new Set(removes));
    killPoint('restore-staged');
    const safety = await checkpointLocked(project, target, targetDoc, {
      description: `Safety checkpoint before restoring ${h.id}:${entry.id} in place`,
      allowEmpty: true,
      tree: safetyTree,
    });
    const deleted = removeFiles(project, removes);
    const written = moveIntoPlace(project, staging, writes, placed);
    return { source: read.source, written, deleted, skipped: read.skipped, safety: { ...safetyOf(safety.session, safety.id, named), commit: safety.commit } };
  } catch (err) {
    throw ioError('restore into', project.root, err);
  } finally {
    placed?.undo();
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Files staged beside their targets under temp names (by the index of their write), and how to take them back. */
interface Placed {
  temps: Map<number, Buffer>;
  /** Removes every temp file still there, the folders made for them that are empty, and the journal. */
  undo: () => void;
}

/**
 * Moves each staged file to a temp name beside its target (shared/temp-name.ts), so the moves into place are
 * renames within one folder: nothing is copied, and nothing can run out of space, once the first file is replaced.
 * The temp names are journalled first, so a kill leaves nothing the next command does not remove. A file whose
 * folder is now a file this restore removes stays in the staging folder until that file is gone.
 */
function placeBeside(project: Project, staging: string, writes: Write[], removed: Set<string>): Placed {
  const temps = new Map<number, Buffer>();
  writes.forEach((w, i) => {
    if (w.file.kind === 'submodule') return;
    const parts = w.path.split('/');
    for (let k = 1; k < parts.length; k++) if (removed.has(parts.slice(0, k).join('/'))) return;
    temps.set(i, Buffer.from(tempPathFor(rawJoin(project.root, w.raw).toString('latin1')), 'latin1'));
  });
  const journal = journalTemps(project, [...temps.values()]);
  const made: Buffer[] = [];
  const undo = () => {
    for (const t of temps.values()) {
      try { unlinkSync(t); } catch { /* moved into place, or never made */ }
    }
    for (const d of made.reverse()) {
      try { rmdirSync(d); } catch { /* holds files now */ }
    }
    journal.clear();
  };
  try {
    for (const [i, tmp] of temps) {
      const w = writes[i]!;
      made.push(...makeParents(tmp));
      moveFile(rawJoin(staging, w.file.raw), tmp, w.file.kind === 'symlink');
    }
  } catch (err) {
    undo();
    throw err;
  }
  return { temps, undo };
}

/** Creates the missing folders above `file`, returning those it made, outermost first. */
function makeParents(file: Buffer): Buffer[] {
  const missing: Buffer[] = [];
  for (let d = file.subarray(0, file.lastIndexOf(0x2f)); d.length > 0 && lstatOrNull(d) === null; d = d.subarray(0, d.lastIndexOf(0x2f))) {
    missing.unshift(d);
  }
  for (const d of missing) mkdirSync(d);
  return missing;
}

/** A rename, or across file systems a copy (a link as a link) followed by removing the source. */
function moveFile(from: Buffer, to: Buffer, link: boolean): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    if (link) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to, constants.COPYFILE_EXCL);
    rmSync(from, { force: true });
  }
}

function safetyOf(session: string, checkpoint: string, named: string[] | undefined): Omit<InPlaceResult['safety'], 'commit'> {
  const paths = named ? ` -- ${named.map((p) => shellWord(pathBytes(p))).join(' ')}` : '';
  return { session, checkpoint, undo: `specmap restore --restore-checkpoint ${session} ${checkpoint} --in-place${paths}` };
}

/**
 * The session the safety checkpoint goes into: the restored session if it is active here, else the only active one
 * of this worktree (a fork's session, in its own worktree, never takes a checkpoint of this one's files).
 */
function safetyTarget(project: Project, h: SessionHandle, restoring: string): SessionHandle {
  if (h.state === 'active' && !h.worktree) return h;
  const active = listSessionHandles(project, ['active']);
  if (active.length === 1) return active[0]!;
  throw new SpecmapError(
    'CONFLICT',
    `an in-place restore first checkpoints the working tree into an active session, and ${active.length === 0 ? 'none is active' : `${active.length} are active`}: ` +
      (active.length === 0 ? `run 'specmap start "restore ${restoring}"' first` : 'restore from the active session you mean'),
  );
}

const WORKSPACE_FOLDERS = new Set(['artifacts', 'notes', 'decisions']);

/**
 * The original Python SpecMap recorded files of its default checkpoints relative to the session folder
 * (`artifacts/x.md`); such a path belongs there unless the project itself has that top-level folder.
 */
function legacyTarget(project: Project, h: SessionHandle, path: string): { path: string; raw: Buffer } {
  const first = path.split('/')[0]!;
  if (path.includes('/') && WORKSPACE_FOLDERS.has(first) && !existsSync(join(project.root, first))) {
    const p = `${h.relDir}/${path}`;
    if (h.worktree) refuseOtherWorkspace(h, [p]);
    return { path: p, raw: pathBytes(p) };
  }
  return { path, raw: pathBytes(path) };
}

/**
 * A session of another worktree (a fork's) keeps its workspace there: restoring its files into this worktree's
 * 04-agents/sessions/ would make a second copy of that session here. Its checkpoint's project files may come here.
 */
function refuseOtherWorkspace(h: SessionHandle, paths: string[]): void {
  const own = [sessionRelDir('active', h.id), sessionRelDir('archive', h.id)];
  const inside = paths.find((p) => own.some((d) => pathWithin(p, d)));
  if (inside === undefined) return;
  throw new SpecmapError(
    'CONFLICT',
    `cannot restore ${inside} here: it is in the workspace of ${h.id}, which lives in the worktree ${h.worktree}; restore it there, or without --in-place into a -restored folder; nothing was changed`,
    { kind: 'other-worktree', worktree: h.worktree },
  );
}

function lstatOrNull(p: Buffer): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/**
 * Refuses, before anything is written, a restore that would write through a symbolic link or a file standing
 * where a folder must be, or replace a folder that holds files this restore does not remove.
 */
function checkTargets(project: Project, writes: Write[], removes: string[]): void {
  const removed = new Set(removes);
  const refuse = (path: string, why: string) => {
    throw new SpecmapError('CONFLICT', `cannot restore ${path}: ${why}; nothing was changed`);
  };
  for (const f of writes) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const st = lstatOrNull(rawJoin(project.root, pathBytes(dir)));
      if (st === null || st.isDirectory()) continue;
      if (removed.has(dir)) continue;
      refuse(f.path, st.isSymbolicLink() ? `${dir} is a symbolic link in the working tree` : `${dir} is a file in the working tree`);
    }
    const st = lstatOrNull(rawJoin(project.root, f.raw));
    if (st?.isDirectory() && f.file.kind !== 'submodule' && !onlyRemovedInside(project, f.path, removed)) {
      refuse(f.path, 'it is a folder in the working tree, with files the checkpoint does not account for');
    }
  }
}

function onlyRemovedInside(project: Project, dir: string, removed: Set<string>): boolean {
  const walk = (raw: Buffer): boolean => sortedEntries(rawJoin(project.root, raw)).every((item) => {
    const child = Buffer.concat([raw, Buffer.from('/'), item.name]);
    return item.isDirectory() ? walk(child) : removed.has(pathText(child));
  });
  return walk(pathBytes(dir));
}

/** Removes files and links (never folders with content), then the folders that this left empty. */
function removeFiles(project: Project, removes: string[]): string[] {
  const done: string[] = [];
  for (const p of [...removes].sort().reverse()) {
    const abs = rawJoin(project.root, pathBytes(p));
    const st = lstatOrNull(abs);
    if (st === null || st.isDirectory()) continue;
    unlinkSync(abs);
    done.push(p);
    for (let dir = p.slice(0, p.lastIndexOf('/')); dir.length > 0; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/')))) {
      const d = rawJoin(project.root, pathBytes(dir));
      try {
        if (readdirSync(d).length > 0) break;
        rmdirSync(d);
      } catch {
        break;
      }
    }
  }
  return done.sort();
}

/**
 * Moves each staged file onto its target: a rename of its temp beside it (placeBeside), or from the staging folder
 * for a file that could not be placed beside its target before the removals (a temp copy beside it, then a rename).
 */
function moveIntoPlace(project: Project, staging: string, writes: Write[], placed: Placed): string[] {
  const written: string[] = [];
  writes.forEach((f, i) => {
    const to = rawJoin(project.root, f.raw);
    const existing = lstatOrNull(to);
    if (f.file.kind === 'submodule') {
      if (existing === null) {
        mkdirSync(to.subarray(0, to.lastIndexOf(0x2f)), { recursive: true });
        mkdirSync(to);
      }
      return;
    }
    if (existing?.isDirectory()) rmSync(to, { recursive: true });
    let tmp = placed.temps.get(i);
    if (tmp === undefined) {
      mkdirSync(to.subarray(0, to.lastIndexOf(0x2f)), { recursive: true });
      tmp = Buffer.from(tempPathFor(to.toString('latin1')), 'latin1');
      placed.temps.set(i, tmp);
      moveFile(rawJoin(staging, f.file.raw), tmp, f.file.kind === 'symlink');
    }
    renameSync(tmp, to);
    written.push(f.path);
  });
  return written;
}
