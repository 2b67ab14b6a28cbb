import { R_OK } from 'node:constants';
import { accessSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { catalogBackups, type BackupEntry, type BackupKind } from './catalog.js';
import { readChecksumFile } from './checksum.js';
import { compareWithGit, hashZipEntries, type ManifestFile, type ProgressFn } from './export.js';
import { listBackupFolder } from './folder.js';
import { readManifest, type BackupManifest } from './manifest.js';
import { checkStoredPath } from '../checkpoint/files.js';
import { isSpecmapError } from '../../shared/errors.js';
import { resolveId } from '../../shared/resolve-id.js';
import { abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { sha256File } from '../../storage/fs/file-sha256.js';
import { pathBytes, rawJoin } from '../../shared/path-text.js';

export interface VerifyProblem {
  /** The file inside the backup, the archive itself, or '' for the backup as a whole. */
  path: string;
  problem: string;
}

export interface VerifyResult {
  kind: BackupKind;
  name: string;
  zip: string;
  ok: boolean;
  files: number;
  /**
   * The whole archive against the SHA-256 recorded when it was written: 'not-recorded' for backups written before
   * specmap recorded it, 'none' for plain folder copies.
   */
  archive: 'match' | 'mismatch' | 'not-recorded' | 'none';
  problems: VerifyProblem[];
  /** What was not or could not be checked, one sentence each; not failures. */
  notes: string[];
}

export interface VerifyOptions {
  /** A session id, date or milestone name (or a unique prefix); undefined checks every backup. */
  target?: string;
  onProgress?: ProgressFn;
}

/** The backups `target` names: by ZIP or folder path, else by name (exact, or a unique prefix; all kinds of that name). */
function pick(all: BackupEntry[], target: string): BackupEntry[] {
  const byPath = all.filter((b) => b.zip === target || b.folder === target);
  if (byPath.length > 0) return byPath;
  const name = resolveId(target, all.map((b) => b.name), { what: 'backup', notFound: 'BACKUP_NOT_FOUND' });
  return all.filter((b) => b.name === name);
}

/**
 * Checks each ZIP first as a whole against its recorded SHA-256 (a changed header byte that no entry CRC covers),
 * then re-reads every entry (each CRC), compares each file with the manifest's size and SHA-256, and compares the
 * ZIP with its git copy. Plain folder copies (Python SpecMap) are checked for their manifest, their listed items,
 * safe names and readable files. Every difference is reported per file; nothing is repaired. Needs no lock.
 */
export async function verifyBackups(project: Project, opts: VerifyOptions): Promise<VerifyResult[]> {
  const all = await catalogBackups(project);
  const chosen = opts.target === undefined ? all : pick(all, opts.target);
  const results: VerifyResult[] = [];
  for (const b of chosen) results.push(b.format === 'folder' ? verifyFolder(project, b) : await verifyZipBackup(project, b, opts.onProgress));
  return results;
}

/** The SHA-256 recorded for the archive and where: the manifest, or a session ZIP's .sha256 file. */
function recordedHash(project: Project, b: BackupEntry, manifest: BackupManifest | undefined): { sha256?: string; where: string; problem?: string } {
  if (b.checksum) return { ...readChecksumFile(abs(project.root, b.checksum)), where: b.checksum };
  return { sha256: manifest?.archive_sha256, where: b.manifest ?? 'the manifest' };
}

async function verifyZipBackup(project: Project, b: BackupEntry, onProgress?: ProgressFn): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const notes: string[] = [];
  let files = 0;
  let archive: VerifyResult['archive'] = 'not-recorded';
  const read = b.manifest ? readManifest(abs(project.root, b.manifest), b.manifest) : undefined;
  if (!b.zipExists) {
    problems.push({ path: '', problem: b.refExists ? 'the ZIP is missing (restore can still use the git copy)' : 'the ZIP is missing' });
  } else {
    const recorded = recordedHash(project, b, read?.manifest);
    if (recorded.problem) problems.push({ path: recorded.where, problem: recorded.problem });
    if (recorded.sha256) {
      const actual = await sha256File(abs(project.root, b.zip));
      archive = actual === recorded.sha256 ? 'match' : 'mismatch';
      if (archive === 'mismatch') {
        problems.push({
          path: b.zip,
          problem: `the archive's SHA-256 is ${actual.slice(0, 16)}…, ${recorded.where} recorded ${recorded.sha256.slice(0, 16)}…: the file changed after it was written`,
        });
      }
    } else if (!recorded.problem && !(read && read.problem)) {
      notes.push(`the archive's SHA-256 is not recorded (${b.checksum ? `no ${b.checksum}` : `${recorded.where} predates it`}): only its entries were checked`);
    }
    try {
      const entries = await hashZipEntries(abs(project.root, b.zip), onProgress, 'verify');
      files = entries.length;
      if (read?.problem) problems.push({ path: '', problem: read.problem });
      else if (read?.manifest) problems.push(...compareWithManifest(read.manifest.files, entries));
      if (b.ref && b.refExists) problems.push(...(await compareWithGit(project, b.ref, entries)));
    } catch (err) {
      if (!isSpecmapError(err)) throw err;
      problems.push({ path: '', problem: err.message });
    }
  }
  if (b.ref && !b.refExists) problems.push({ path: '', problem: `the git copy ${b.ref} is missing` });
  return { kind: b.kind, name: b.name, zip: b.zip, ok: problems.length === 0, files, archive, problems, notes };
}

function compareWithManifest(listed: ManifestFile[] | undefined, entries: { path: string; size: number; sha256: string }[]): VerifyProblem[] {
  if (!listed) return [{ path: '', problem: 'the manifest has no files list' }];
  const problems: VerifyProblem[] = [];
  const inZip = new Map(entries.map((e) => [e.path, e]));
  for (const f of listed) {
    const z = inZip.get(f.path);
    if (!z) problems.push({ path: f.path, problem: 'listed in the manifest but missing from the ZIP' });
    else if (z.size !== f.size) problems.push({ path: f.path, problem: `size ${z.size} in the ZIP, ${f.size} in the manifest` });
    else if (z.sha256 !== f.sha256) problems.push({ path: f.path, problem: 'SHA-256 differs from the manifest' });
  }
  const inManifest = new Set(listed.map((f) => f.path));
  for (const e of entries) if (!inManifest.has(e.path)) problems.push({ path: e.path, problem: 'in the ZIP but not in the manifest' });
  return problems;
}

/** A Python SpecMap daily folder: manifest, listed items present, safe names, every file readable. */
function verifyFolder(project: Project, b: BackupEntry): VerifyResult {
  const problems: VerifyProblem[] = [];
  const notes = ['plain folder copies carry no checksums: names, listed items and readability were checked'];
  let files = 0;
  const dir = abs(project.root, b.folder!);
  const read = readManifest(abs(project.root, b.manifest!), b.manifest!);
  if (read.problem) problems.push({ path: '', problem: read.problem });
  try {
    const listing = listBackupFolder(dir, b.folder!);
    files = listing.files.length;
    notes.push(...listing.skipped);
    for (const f of listing.files) {
      try {
        accessSync(rawJoin(dir, pathBytes(f.path)), R_OK);
      } catch {
        problems.push({ path: f.path, problem: 'cannot be read' });
      }
    }
    for (const item of read.manifest?.items_backed_up ?? []) {
      const rel = checkStoredPath(item.replace(/\/+$/, ''), b.manifest!);
      // The copy may keep the item's path or just its last part (04-agents/session-summaries as session-summaries).
      if (!existsSync(abs(dir, rel)) && !existsSync(abs(dir, basename(rel)))) {
        problems.push({ path: rel, problem: 'listed in items_backed_up but missing from the folder' });
      }
    }
  } catch (err) {
    if (!isSpecmapError(err)) throw err;
    problems.push({ path: '', problem: err.message });
  }
  return { kind: b.kind, name: b.name, zip: b.zip, ok: problems.length === 0, files, archive: 'none', problems, notes };
}
