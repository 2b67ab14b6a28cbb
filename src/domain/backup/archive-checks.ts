import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import { sha256File } from '../../storage/fs/file-sha256.js';
import type { LinkPolicy } from '../../storage/zip/reader.js';
import type { BackupEntry, BackupKind } from './catalog.js';
import { readChecksumFile } from './checksum.js';
import type { ManifestFile } from './export.js';
import { readManifest, type BackupManifest, type ManifestRead } from './manifest.js';
import type { Project } from '../project/project.js';

/**
 * The checks of a backup ZIP against what was recorded when it was written, shared by `backup verify`, every
 * restore from a ZIP and `doctor` (through verify), so what one accepts the others accept. The ZIP's own structure
 * is checked by storage/zip/entry-check.ts whenever it is read.
 */

export interface ArchiveProblem {
  path: string;
  problem: string;
}

/**
 * What a backup's symbolic link entries become, the one rule restore applies and verify checks: a session ZIP's
 * checkpoint copies (snapshots/) come back as the links they were; a link anywhere else in a session ZIP refuses
 * the archive (the workspace never holds one); daily and milestone ZIPs (git archive of the project) skip them with
 * a note.
 */
export function backupLinkPolicy(kind: BackupKind, onSymlink: (name: string) => void = () => {}): LinkPolicy {
  if (kind === 'session') return { keepLink: (n) => n.startsWith('snapshots/') };
  return { onSymlink };
}

/** The backup's manifest, read and checked (undefined when it has none: old session ZIPs). */
export function backupManifest(project: Project, b: BackupEntry): ManifestRead | undefined {
  return b.manifest ? readManifest(abs(project.root, b.manifest), b.manifest) : undefined;
}

/**
 * The SHA-256 recorded for an archive and where: the manifest, else a session ZIP's .sha256 file. `b`'s paths are
 * relative to `root` (the project, or a folder holding records fetched from an off-site copy).
 */
export function recordedHash(root: string, b: { manifest?: string; checksum?: string }, manifest: BackupManifest | undefined): { sha256?: string; where: string; problem?: string } {
  if (manifest?.archive_sha256) return { sha256: manifest.archive_sha256, where: b.manifest! };
  if (b.checksum) return { ...readChecksumFile(abs(root, b.checksum)), where: b.checksum };
  return { where: b.manifest ?? 'the manifest' };
}

export interface ArchiveHashCheck {
  archive: 'match' | 'mismatch' | 'not-recorded';
  problems: ArchiveProblem[];
  notes: string[];
}

/** The whole ZIP against the SHA-256 recorded when it was written (a changed byte anywhere, headers included). */
export async function checkArchiveHash(project: Project, b: BackupEntry, read: ManifestRead | undefined): Promise<ArchiveHashCheck> {
  const problems: ArchiveProblem[] = [];
  const notes: string[] = [];
  const recorded = recordedHash(project.root, b, read?.manifest);
  if (recorded.problem) problems.push({ path: recorded.where, problem: recorded.problem });
  if (!recorded.sha256) {
    if (!recorded.problem && !(read && read.problem)) {
      const why = b.kind === 'session' && !b.manifest ? `no ${b.checksum}` : `${recorded.where} predates it`;
      notes.push(`the archive's SHA-256 is not recorded (${why}): only its entries were checked`);
    }
    return { archive: 'not-recorded', problems, notes };
  }
  const actual = await sha256File(abs(project.root, b.zip));
  if (actual === recorded.sha256) return { archive: 'match', problems, notes };
  problems.push({
    path: b.zip,
    problem: `the archive's SHA-256 is ${actual.slice(0, 16)}…, ${recorded.where} recorded ${recorded.sha256.slice(0, 16)}…: the file changed after it was written`,
  });
  return { archive: 'mismatch', problems, notes };
}

/** The files a ZIP holds against the manifest's list: presence, size, SHA-256 and (when recorded) mode. */
export function compareWithManifest(listed: ManifestFile[] | undefined, entries: { path: string; size: number; sha256: string; mode?: string }[]): ArchiveProblem[] {
  if (!listed) return [{ path: '', problem: 'the manifest has no files list' }];
  const problems: ArchiveProblem[] = [];
  const inZip = new Map(entries.map((e) => [e.path, e]));
  for (const f of listed) {
    const z = inZip.get(f.path);
    if (!z) problems.push({ path: f.path, problem: 'listed in the manifest but missing from the ZIP' });
    else if (z.size !== f.size) problems.push({ path: f.path, problem: `size ${z.size} in the ZIP, ${f.size} in the manifest` });
    else if (z.sha256 !== f.sha256) problems.push({ path: f.path, problem: 'SHA-256 differs from the manifest' });
    else if (f.mode !== undefined && z.mode !== undefined && z.mode !== f.mode) problems.push({ path: f.path, problem: `mode ${z.mode} in the ZIP, ${f.mode} in the manifest` });
  }
  const inManifest = new Set(listed.map((f) => f.path));
  for (const e of entries) if (!inManifest.has(e.path)) problems.push({ path: e.path, problem: 'in the ZIP but not in the manifest' });
  return problems;
}

/** A restore's refusal of a ZIP that fails its record: one CORRUPT_DATA error naming the first problem. */
export function recordMismatch(zip: string, problems: ArchiveProblem[]): SpecmapError {
  const p = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new SpecmapError('CORRUPT_DATA', `${zip} does not match its record: ${p.path ? `${p.path}: ` : ''}${p.problem}${more}`);
}
