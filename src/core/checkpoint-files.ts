import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlLib } from './yaml-lib.js';
import { SpecmapError, ioError, isSpecmapError } from './errors.js';
import { tempPathFor, writeFileAtomic } from '../fs/atomic-write.js';
import { abs, sessionBackupRel } from './layout.js';
import type { Project } from './project.js';
import type { CheckpointEntry } from './session-file.js';
import type { SessionHandle } from './session-store.js';
import { forEachZipEntry } from '../archive/zip-reader.js';
import { hasObject, listTree, readBlobs, writeBlobToFile, type TreeEntry } from '../git/index.js';

export type FilesSource = 'git' | 'copies' | 'zip';

export interface RestoredFile {
  /** Project-relative POSIX path. */
  path: string;
  /**
   * The content; null when the file did not exist at this checkpoint (it was deleted); undefined for a large file
   * in git, which is streamed from `blob` by writeRestoredFile rather than held in memory.
   */
  data: Buffer | null | undefined;
  blob?: { oid: string; size: number };
  executable: boolean;
}

/** Blobs larger than this are streamed to their destination instead of read into memory. */
const LARGE_BLOB = 16 * 1024 * 1024;

/**
 * Writes a restored file's content to `dest` (a new file, or replacing one atomically): bytes in memory as they
 * are, a large git blob streamed through a temp file beside `dest`.
 */
export async function writeRestoredFile(project: Project, f: RestoredFile, dest: string, opts: { atomic?: boolean } = {}): Promise<void> {
  if (f.data === null) throw new SpecmapError('INVALID_INPUT', `${f.path} did not exist at that checkpoint`);
  if (f.data !== undefined) {
    // A staging folder renamed into place as a whole needs no fsync per file.
    if (opts.atomic === false) writeFileSync(dest, f.data);
    else writeFileAtomic(dest, f.data);
  } else {
    const tmp = tempPathFor(dest);
    try {
      await writeBlobToFile(project.git, f.blob!.oid, tmp);
      renameSync(tmp, dest);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw isSpecmapError(err) ? err : ioError('restore', f.path, err);
    }
  }
  chmodSync(dest, f.executable ? 0o755 : 0o644);
}

export interface CheckpointFiles {
  source: FilesSource;
  files: RestoredFile[];
  /** Files that could not be read, one sentence each. */
  skipped: string[];
}

/** Paths from session.yaml or a ZIP are data, not trusted input: they must stay relative and inside. */
export function checkStoredPath(path: string, where: string): string {
  const p = path.replace(/\\/g, '/');
  const parts = p.split('/');
  if (p === '' || p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.includes('\0') || parts.some((s) => s === '..' || s === '.' || s === '')
    || parts[0] === '.git') {
    throw new SpecmapError('CORRUPT_DATA', `${where}: unsafe path ${JSON.stringify(path)} (absolute, '..' or .git)`);
  }
  return p;
}

/**
 * A checkpoint's files, read from the best place that still has them: the git object store; else the plain
 * copies in snapshots/<checkpoint>/ (sessions written by the Python SpecMap); else the session's ZIP export.
 * `paths` limits the result (files or folders); by default it is the checkpoint's files_snapshot.
 */
export async function readCheckpointFiles(
  project: Project,
  h: SessionHandle,
  entry: CheckpointEntry,
  paths?: string[],
): Promise<CheckpointFiles> {
  const where = `${h.relDir}/session.yaml`;
  const wanted = (paths ?? entry.files_snapshot).map((p) => checkStoredPath(p, where));
  if (entry.commit && (await hasObject(project.git, entry.commit))) {
    return fromGit(project, entry.commit, wanted);
  }
  const copiesDir = abs(h.dir, `snapshots/${entry.id}`);
  if (existsSync(copiesDir)) {
    return fromCopySet(copySetFromFolder(copiesDir), wanted, deletedIn(h, entry), 'copies', `${h.relDir}/snapshots/${entry.id}/`);
  }
  const zipRel = sessionBackupRel(h.id);
  const zipPath = abs(project.root, zipRel);
  if (existsSync(zipPath)) {
    const set = await copySetFromZip(zipPath, `snapshots/${entry.id}/`);
    if (set.size > 0 || wanted.length === 0) {
      return fromCopySet(set, wanted, deletedIn(h, entry), 'zip', `${zipRel}:snapshots/${entry.id}/`);
    }
  }
  const why = entry.commit ? `its commit ${entry.commit.slice(0, 12)} is gone from git` : 'it has no git commit';
  throw new SpecmapError(
    'CHECKPOINT_NOT_FOUND',
    `cannot restore ${h.id}:${entry.id}: ${why}, and neither snapshots/${entry.id}/ nor ${zipRel} holds its files`,
  );
}

async function fromGit(project: Project, commit: string, wanted: string[]): Promise<CheckpointFiles> {
  const entries = wanted.length === 0 ? [] : await listTree(project.git, commit, wanted, { sizes: true });
  const skipped: string[] = [];
  const blobs = entries.filter((e) => e.type === 'blob' && e.mode !== '120000');
  for (const e of entries) {
    if (e.mode === '120000') skipped.push(`${e.path}: a symbolic link in git; not restored`);
    else if (e.type !== 'blob') skipped.push(`${e.path}: a submodule; not restored`);
  }
  const large = (e: TreeEntry) => (e.size ?? 0) > LARGE_BLOB;
  const data = await readBlobs(project.git, blobs.filter((e) => !large(e)).map((e) => e.oid));
  const files: RestoredFile[] = blobs.map((e) => (large(e)
    ? { path: e.path, data: undefined, blob: { oid: e.oid, size: e.size! }, executable: e.mode === '100755' }
    : { path: e.path, data: data.get(e.oid)!, executable: e.mode === '100755' }));
  const found = new Set(entries.map((e) => e.path));
  for (const w of wanted) {
    const covered = found.has(w) || entries.some((e) => e.path.startsWith(`${w}/`));
    if (!covered) files.push({ path: w, data: null, executable: false });
  }
  return { source: 'git', files, skipped };
}

/** Names under snapshots/<checkpoint>/ (forward slashes), each with a reader. */
type CopySet = Map<string, () => Promise<Buffer>>;

function copySetFromFolder(dir: string): CopySet {
  const set: CopySet = new Map();
  const walk = (d: string, prefix: string) => {
    for (const item of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, item.name);
      if (item.isDirectory()) walk(p, `${prefix}${item.name}/`);
      else if (item.isFile()) set.set(`${prefix}${item.name}`, async () => readFileSync(p));
    }
  };
  walk(dir, '');
  return set;
}

async function copySetFromZip(zipPath: string, prefix: string): Promise<CopySet> {
  // Read the matching entries while the archive is open; checkpoints are small next to the session.
  const set: CopySet = new Map();
  await forEachZipEntry(zipPath, async (e, read) => {
    if (e.isDirectory || !e.name.startsWith(prefix) || e.name.length === prefix.length) return;
    if (e.isSymlink) return;
    const data = await read();
    set.set(e.name.slice(prefix.length), async () => data);
  });
  return set;
}

/** Files the checkpoint's manifest records as deleted (only specmap writes manifests). */
function deletedIn(h: SessionHandle, entry: CheckpointEntry): Set<string> {
  const manifest = abs(h.dir, `snapshots/${entry.id}.yaml`);
  const out = new Set<string>();
  if (!existsSync(manifest)) return out;
  try {
    const doc = yamlLib().parse(readFileSync(manifest, 'utf8')) as { files?: { path?: unknown; status?: unknown }[] };
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
async function fromCopySet(
  set: CopySet,
  wantedIn: string[],
  deleted: Set<string>,
  source: FilesSource,
  label: string,
): Promise<CheckpointFiles> {
  const wanted = wantedIn.length > 0 ? wantedIn : [...set.keys()].map((k) => checkStoredPath(k, label));
  const byBase = new Map<string, string[]>();
  for (const w of wanted) {
    const base = w.slice(w.lastIndexOf('/') + 1);
    byBase.set(base, [...(byBase.get(base) ?? []), w]);
  }
  const files: RestoredFile[] = [];
  const skipped: string[] = [];
  for (const w of wanted) {
    const base = w.slice(w.lastIndexOf('/') + 1);
    const underFolder = [...set.keys()].filter((k) => k.startsWith(`${w}/`));
    let reader = set.get(w);
    if (!reader && underFolder.length > 0) {
      for (const k of underFolder) files.push({ path: checkStoredPath(k, label), data: await set.get(k)!(), executable: false });
      continue;
    }
    if (!reader && set.has(base)) {
      const sharing = byBase.get(base)!;
      if (sharing.length > 1) {
        skipped.push(`${w}: ${sharing.join(' and ')} were saved under the one name ${label}${base}; it is not known whose copy survived`);
        continue;
      }
      reader = set.get(base);
    }
    if (reader) files.push({ path: w, data: await reader(), executable: false });
    else if (deleted.has(w)) files.push({ path: w, data: null, executable: false });
    else skipped.push(`${w}: no copy in ${label}`);
  }
  return { source, files, skipped };
}
