import { nodeCrypto } from '../../shared/node-crypto.js';
import { SpecmapError } from '../../shared/errors.js';
import type { Project } from '../project/project.js';
import { forEachZipEntry, listZip } from '../../storage/zip/reader.js';
import type { EntryKind } from '../../storage/zip/entry-check.js';
import { archiveZip } from '../../storage/git/archive.js';
import { listTree, type TreeEntry } from '../../storage/git/tree-read.js';
import { started, type Progress, type ProgressFn } from '../../shared/progress.js';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  /** git's mode for it: 100644, 100755 (executable) or 120000 (a symbolic link; the bytes are its target). Absent in manifests written before specmap recorded it. */
  mode?: string;
}

/** The mode a manifest records for an entry kind (entry-check.ts), as git writes it. */
export const MANIFEST_MODE: Record<EntryKind, string> = { file: '100644', executable: '100755', symlink: '120000', directory: '040000' };

/** The progress of the backup verbs: the one progress shape (shared/progress.ts). */
export type { Progress as BackupProgress, ProgressFn } from '../../shared/progress.js';

export interface HashedEntry extends ManifestFile {
  mode: string;
  /** The git blob id of the same bytes (SHA-1 object format), to compare with the git copy. */
  blob: string;
  symlink: boolean;
}

/**
 * Streams every file entry of a ZIP through SHA-256 and git's blob hash, CRC-checked, never holding a file in
 * memory. `onProgress` is told the bytes done against the total from the central directory.
 */
export async function hashZipEntries(zipPath: string, onProgress?: ProgressFn, phase: Progress['phase'] = 'hash'): Promise<HashedEntry[]> {
  const listing = (await listZip(zipPath)).filter((e) => !e.isDirectory);
  const totalBytes = listing.reduce((n, e) => n + e.size, 0);
  const out: HashedEntry[] = [];
  let bytes = 0;
  await forEachZipEntry(zipPath, async (e, _read, stream) => {
    if (e.isDirectory) return;
    const sha = nodeCrypto().createHash('sha256');
    const blob = nodeCrypto().createHash('sha1').update(`blob ${e.size}\0`);
    for await (const chunk of await stream()) {
      sha.update(chunk as Buffer);
      blob.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      onProgress?.({ phase, files: out.length, totalFiles: listing.length, bytes, totalBytes });
    }
    out.push({ path: e.name, size: e.size, sha256: sha.digest('hex'), mode: MANIFEST_MODE[e.kind], blob: blob.digest('hex'), symlink: e.isSymlink });
  });
  onProgress?.({ phase, files: out.length, totalFiles: listing.length, bytes, totalBytes });
  return out;
}

/** Compares what a ZIP holds with the git copy's tree; one sentence per difference. */
export async function compareWithGit(project: Project, rev: string, entries: HashedEntry[], listed?: TreeEntry[]): Promise<{ path: string; problem: string }[]> {
  const tree = listed ?? (await listTree(project.git, rev));
  const problems: { path: string; problem: string }[] = [];
  const inZip = new Map(entries.map((e) => [e.path, e]));
  for (const t of tree) {
    if (t.type !== 'blob') continue;
    const z = inZip.get(t.path);
    if (!z) problems.push({ path: t.path, problem: 'in the git copy but not in the ZIP' });
    else if (t.oid.length === 40 && z.blob !== t.oid) problems.push({ path: t.path, problem: 'differs from the git copy' });
    else if (z.mode !== t.mode) problems.push({ path: t.path, problem: `mode ${z.mode} in the ZIP, ${t.mode} in the git copy` });
  }
  const inTree = new Set(tree.map((t) => t.path));
  for (const z of entries) if (!inTree.has(z.path)) problems.push({ path: z.path, problem: 'in the ZIP but not in the git copy' });
  return problems;
}

/** The manifest fields an export fills in, named as they are written to manifest.json. */
export interface ExportedArchive {
  /** SHA-256 (hex) of the whole ZIP file: catches a change anywhere, headers included, that entry CRCs miss. */
  archive_sha256: string;
  archive_bytes: number;
  files: ManifestFile[];
}

/**
 * Writes `git archive` of `commit` to `zipPath` (which must not exist) and reads it back: the manifest is made
 * from the archive itself, and the archive is checked against the commit before anyone relies on it. The archive's
 * own SHA-256 is taken as git streams it to disk.
 */
export async function exportCommit(project: Project, commit: string, zipPath: string, onProgress?: ProgressFn): Promise<ExportedArchive> {
  // The tree is listed first when someone is told how far the archive is: its files are the total.
  const tree = onProgress ? await listTree(project.git, commit) : undefined;
  const totalFiles = tree ? tree.filter((t) => t.type === 'blob').length : 0;
  onProgress?.(started('archive', totalFiles));
  const archive = await archiveZip(project.git, commit, zipPath, 6, onProgress && ((files, bytes) => onProgress({ phase: 'archive', files, totalFiles, bytes, totalBytes: 0 })));
  const entries = await hashZipEntries(zipPath, onProgress);
  const problems = await compareWithGit(project, commit, entries, tree);
  if (problems.length > 0) {
    throw new SpecmapError('CORRUPT_DATA', `the archive of ${commit.slice(0, 12)} does not match it: ${problems[0]!.path} ${problems[0]!.problem}`);
  }
  return { archive_sha256: archive.sha256, archive_bytes: archive.bytes, files: entries.map(({ path, size, sha256, mode }) => ({ path, size, sha256, mode })) };
}
