import { copyFileSync, createWriteStream, existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseYaml, readYamlText } from '../../storage/yaml/parse.js';
import { SpecmapError } from '../../shared/errors.js';
import { abs, sessionBackupRel } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import type { CheckpointEntry } from '../session/session-file.js';
import { sessionRoot, type SessionHandle } from '../session/store.js';
import { forEachZipEntry } from '../../storage/zip/reader.js';
import { pathBytes, pathText, pathWithin, rawJoin, rawWithin } from '../../shared/path-text.js';
import { sortedEntries } from '../../storage/fs/read-dir.js';
import { checkoutFiles } from '../../storage/git/checkout.js';
import { hasObject } from '../../storage/git/snapshot.js';
import { existingObjects } from '../../storage/git/diff.js';
import { GitCommandError, firstLine } from '../../storage/git/run.js';
import { storedPathProblem } from '../../shared/relative-path.js';
import { listTree } from '../../storage/git/tree-read.js';

/** Where the files came from; 'git+zip': git, with the files whose blobs git lost from the session ZIP. */
export type FilesSource = 'git' | 'copies' | 'zip' | 'git+zip';

/** What a checkpoint holds at a path: a file, an executable file, a symbolic link, or a submodule (gitlink). */
export type FileKind = 'file' | 'executable' | 'symlink' | 'submodule';

export interface CheckpointFile {
  /** Project-relative path in text form (fs/path-text.ts). */
  path: string;
  /** The same path as bytes: what is written to disk. */
  raw: Buffer;
  kind: FileKind;
  /** From git: the blob's id. */
  oid?: string;
}

export interface CheckpointFiles {
  source: FilesSource;
  /** Files present at the checkpoint. */
  files: CheckpointFile[];
  /** Wanted paths the checkpoint does not have (deleted by then). */
  deleted: string[];
  /** Files that could not be read, one sentence each. */
  skipped: string[];
  /**
   * Writes `subset` (default: every file) into the folder `dir` (empty, or created), each under its raw name and in
   * working-tree form: from git exactly as `git checkout` writes it, from copies and ZIPs as they were stored.
   * `onProgress` is told the files written so far of all of them.
   */
  stage(dir: string, subset?: CheckpointFile[], onProgress?: StageProgress): Promise<void>;
}

/** How far staging is: files written, of how many. */
export type StageProgress = (done: number, total: number) => void;

/** Paths from session.yaml or a ZIP are data, not trusted input: they must stay relative and inside. */
export function checkStoredPath(path: string, where: string, opts: { windows?: boolean } = {}): string {
  // Backslashes are separators only in paths the Python tool wrote on Windows; in a git name they are bytes.
  const p = opts.windows ? path.replace(/\\/g, '/') : path;
  const problem = storedPathProblem(pathBytes(p).toString('latin1'));
  if (problem) throw new SpecmapError('CORRUPT_DATA', `${where}: unsafe path ${JSON.stringify(path)} (${problem})`, { kind: 'unsafe-path' });
  return p;
}

/**
 * A checkpoint's files, read from the best place that still has them: the git object store; else the plain
 * copies in snapshots/<checkpoint>/ (sessions written by the Python SpecMap); else the session's ZIP export.
 * `paths` limits the result (files or folders, text form); by default it is the checkpoint's files_snapshot.
 */
export async function readCheckpointFiles(
  project: Project,
  h: SessionHandle,
  entry: CheckpointEntry,
  paths?: string[],
): Promise<CheckpointFiles> {
  const where = `${h.relDir}/session.yaml`;
  const wanted = paths ?? entry.files_snapshot.map((p) => checkStoredPath(p, where, { windows: !entry.commit }));
  let treeProblem: string | undefined;
  if (entry.commit && (await hasObject(project.git, entry.commit))) {
    try {
      return await withZipFallback(project, h, entry, await filesFromGit(project, entry.commit, wanted));
    } catch (err) {
      // The commit is there but its tree cannot be read: the copies or the ZIP below may still hold the files.
      if (!(err instanceof GitCommandError)) throw err;
      treeProblem = firstLine(err.stderr) || err.message;
    }
  }
  const copiesDir = abs(h.dir, `snapshots/${entry.id}`);
  if (existsSync(copiesDir)) {
    return fromCopySet(copySetFromFolder(copiesDir), wanted, deletedIn(h, entry), 'copies', `${h.relDir}/snapshots/${entry.id}/`);
  }
  const zipRel = sessionBackupRel(h.id);
  const zipPath = abs(sessionRoot(project, h), zipRel);
  if (existsSync(zipPath)) {
    const set = await copySetFromZip(zipPath, `snapshots/${entry.id}/`);
    if (set.size > 0 || wanted.length === 0) {
      return fromCopySet(set, wanted, deletedIn(h, entry), 'zip', `${zipRel}:snapshots/${entry.id}/`);
    }
  }
  const why = treeProblem ? `git cannot read its tree (${treeProblem})` : entry.commit ? `its commit ${entry.commit.slice(0, 12)} is gone from git` : 'it has no git commit';
  throw new SpecmapError(
    'CHECKPOINT_NOT_FOUND',
    `cannot restore ${h.id}:${entry.id}: ${why}, and neither snapshots/${entry.id}/ nor ${zipRel} holds its files`,
  );
}

/**
 * A checkpoint read from git whose commit exists but some of whose blobs are missing or unreadable: each such file
 * comes from the session ZIP's copy (snapshots/<checkpoint>/<path>) instead, the rest from git. A file neither has
 * is reported in `skipped`. Without missing blobs, `read` is returned as it is.
 */
export async function withZipFallback(project: Project, h: SessionHandle, entry: CheckpointEntry, read: CheckpointFiles): Promise<CheckpointFiles> {
  const blobs = read.files.filter((f) => f.oid !== undefined && f.kind !== 'submodule');
  let present: Set<string> | undefined;
  try {
    present = await existingObjects(project.git, blobs.map((f) => f.oid!));
  } catch (err) {
    // git cannot even say which objects it has (a damaged object store): take every file the ZIP holds from it.
    if (!(err instanceof GitCommandError)) throw err;
  }
  const lost = blobs.filter((f) => !present?.has(f.oid!));
  if (lost.length === 0) return read;
  const zipRel = sessionBackupRel(h.id);
  const zipPath = abs(sessionRoot(project, h), zipRel);
  const set = existsSync(zipPath) ? await copySetFromZip(zipPath, `snapshots/${entry.id}/`) : new Map<string, StoredCopy>();
  const fromZip = new Map<string, StoredCopy>();
  const skipped = [...read.skipped];
  for (const f of lost) {
    const copy = set.get(f.path);
    if (copy) fromZip.set(f.path, copy);
    else if (present !== undefined) skipped.push(`${f.path}: its content is missing from git and ${existsSync(zipPath) ? `${zipRel} holds no copy` : `there is no ${zipRel}`}`);
  }
  // Kept: what git has, what the ZIP gives back, and (when git could not say what it has) the rest, tried from git.
  const unrecoverable = new Set(lost.filter((f) => !fromZip.has(f.path) && present !== undefined).map((f) => f.path));
  const files = read.files.filter((f) => !unrecoverable.has(f.path));
  return {
    source: fromZip.size > 0 ? 'git+zip' : 'git', files, deleted: read.deleted, skipped,
    stage: async (dir, subset = files, onProgress) => {
      const fromGit = subset.filter((f) => !fromZip.has(f.path));
      await read.stage(dir, fromGit, onProgress && ((done) => onProgress(done, subset.length)));
      const copies = subset.filter((f) => fromZip.has(f.path)).map((f) => ({ copy: fromZip.get(f.path)!, dest: rawJoin(dir, f.raw) }));
      await writeCopies(copies, onProgress && ((done) => onProgress(fromGit.length + done, subset.length)));
    },
  };
}

const KIND: Record<string, FileKind> = { '100644': 'file', '100755': 'executable', '120000': 'symlink', '160000': 'submodule' };

/** Every file of `commit` under `wanted` (files or folders; all of the tree when `wanted` is undefined). */
export async function filesFromGit(project: Project, commit: string, wanted?: string[]): Promise<CheckpointFiles> {
  const entries = wanted !== undefined && wanted.length === 0 ? [] : await listTree(project.git, commit, wanted);
  const files: CheckpointFile[] = entries.map((e) => ({ path: e.path, raw: e.raw, kind: KIND[e.mode] ?? 'file', oid: e.oid }));
  const deleted: string[] = [];
  for (const w of wanted ?? []) {
    const wb = pathBytes(w);
    if (!entries.some((e) => rawWithin(e.raw, wb))) deleted.push(w);
  }
  return {
    source: 'git', files, deleted, skipped: [],
    stage: async (dir, subset = files, onProgress) => {
      mkdirSync(dir, { recursive: true });
      await checkoutFiles(project.git, commit, subset.map((f) => f.raw), dir, onProgress);
    },
  };
}

/** A stored copy: a file in snapshots/<checkpoint>/, or an entry of the session ZIP (by its raw name). */
interface StoredCopy {
  kind: FileKind;
  file?: Buffer;
  zip?: { path: string; raw: Buffer };
}

/** Names under snapshots/<checkpoint>/ (text form, forward slashes), each with its copy. */
type CopySet = Map<string, StoredCopy>;

function copySetFromFolder(dir: string): CopySet {
  const set: CopySet = new Map();
  const walk = (d: Buffer, prefix: Buffer) => {
    for (const item of sortedEntries(d)) {
      const p = rawJoin(d, item.name);
      const rel = Buffer.concat([prefix, item.name]);
      if (item.isDirectory()) walk(p, Buffer.concat([rel, Buffer.from('/')]));
      else if (item.isFile()) set.set(pathText(rel), { kind: statSync(p).mode & 0o111 ? 'executable' : 'file', file: p });
    }
  };
  walk(Buffer.from(dir), Buffer.alloc(0));
  return set;
}

async function copySetFromZip(zipPath: string, prefix: string): Promise<CopySet> {
  // Only the names are read here; the bytes are streamed to disk when the files are staged.
  const set: CopySet = new Map();
  const pre = Buffer.from(prefix);
  await forEachZipEntry(zipPath, (e) => {
    if (e.isDirectory || e.raw.length <= pre.length || !e.raw.subarray(0, pre.length).equals(pre)) return;
    const kind: FileKind = e.isSymlink ? 'symlink' : e.mode & 0o111 ? 'executable' : 'file';
    set.set(pathText(Buffer.from(e.raw.subarray(pre.length))), { kind, zip: { path: zipPath, raw: e.raw } });
  });
  return set;
}

/** Writes stored copies to their destinations (paths that do not exist yet); ZIP entries in one pass, streamed. */
async function writeCopies(jobs: { copy: StoredCopy; dest: Buffer }[], onProgress?: StageProgress): Promise<void> {
  const fromZip = new Map<string, { copy: StoredCopy; dest: Buffer }>();
  let zipPath: string | undefined;
  let done = 0;
  for (const j of jobs) {
    mkdirSync(j.dest.subarray(0, j.dest.lastIndexOf(0x2f)), { recursive: true });
    if (j.copy.file) {
      copyFileSync(j.copy.file, j.dest);
      onProgress?.(++done, jobs.length);
    } else if (j.copy.zip) {
      zipPath = j.copy.zip.path;
      fromZip.set(j.copy.zip.raw.toString('latin1'), j);
    }
  }
  if (zipPath === undefined) return;
  await forEachZipEntry(zipPath, async (e, read, stream) => {
    const j = fromZip.get(e.raw.toString('latin1'));
    if (!j) return;
    if (j.copy.kind === 'symlink') symlinkSync(await read(), j.dest);
    else await pipeline(await stream(), createWriteStream(j.dest, { flags: 'wx', mode: j.copy.kind === 'executable' ? 0o755 : 0o644 }));
    onProgress?.(++done, jobs.length);
  });
}

/** Files the checkpoint's manifest records as deleted (only specmap writes manifests). */
function deletedIn(h: SessionHandle, entry: CheckpointEntry): Set<string> {
  const manifest = abs(h.dir, `snapshots/${entry.id}.yaml`);
  const out = new Set<string>();
  if (!existsSync(manifest)) return out;
  try {
    const doc = parseYaml(readYamlText(manifest, manifest), manifest).value as { files?: { path?: unknown; status?: unknown }[] };
    for (const f of doc?.files ?? []) if (f.status === 'deleted' && typeof f.path === 'string') out.add(f.path);
  } catch {
    // A damaged manifest only loses the deletion hints; the files themselves still restore.
  }
  return out;
}

/**
 * Maps the wanted project paths onto copies. specmap stores a copy under its full project path; the Python tool
 * stored it under its base name, so a base-name copy is used when it is unambiguous. Two wanted files with the
 * same base name and only one base-name copy are reported, never guessed.
 */
function fromCopySet(set: CopySet, wantedIn: string[], deletedSet: Set<string>, source: FilesSource, label: string): CheckpointFiles {
  const wanted = wantedIn.length > 0 ? wantedIn : [...set.keys()].map((k) => checkStoredPath(k, label));
  const byBase = new Map<string, string[]>();
  for (const w of wanted) {
    const base = w.slice(w.lastIndexOf('/') + 1);
    byBase.set(base, [...(byBase.get(base) ?? []), w]);
  }
  const files: CheckpointFile[] = [];
  const copies = new Map<string, StoredCopy>();
  const add = (path: string, copy: StoredCopy) => {
    files.push({ path, raw: pathBytes(path), kind: copy.kind });
    copies.set(path, copy);
  };
  const deleted: string[] = [];
  const skipped: string[] = [];
  for (const w of wanted) {
    const base = w.slice(w.lastIndexOf('/') + 1);
    const underFolder = [...set.keys()].filter((k) => k !== w && pathWithin(k, w));
    let copy = set.get(w);
    if (!copy && underFolder.length > 0) {
      for (const k of underFolder) add(checkStoredPath(k, label), set.get(k)!);
      continue;
    }
    if (!copy && set.has(base)) {
      const sharing = byBase.get(base)!;
      if (sharing.length > 1) {
        skipped.push(`${w}: ${sharing.join(' and ')} were saved under the one name ${label}${base}; it is not known whose copy survived`);
        continue;
      }
      copy = set.get(base);
    }
    if (copy) add(w, copy);
    else if (deletedSet.has(w)) deleted.push(w);
    else skipped.push(`${w}: no copy in ${label}`);
  }
  return {
    source, files, deleted, skipped,
    stage: async (dir, subset = files, onProgress) => {
      mkdirSync(dir, { recursive: true });
      await writeCopies(subset.map((f) => ({ copy: copies.get(f.path)!, dest: rawJoin(dir, f.raw) })), onProgress);
    },
  };
}
