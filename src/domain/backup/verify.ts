import { R_OK } from 'node:constants';
import { accessSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { catalogBackups, type BackupEntry, type BackupKind } from './catalog.js';
import { backupLinkPolicy, backupManifest, checkArchiveHash, compareWithManifest } from './archive-checks.js';
import { compareWithGit, hashZipEntries, type ProgressFn } from './export.js';
import { listBackupFolder } from './folder.js';
import { readManifest } from './manifest.js';
import { linkVerdict } from '../../storage/zip/reader.js';
import { checkStoredPath } from '../checkpoint/files.js';
import { SpecmapError, isSpecmapError } from '../../shared/errors.js';
import { findInOtherWorktrees } from '../session/worktrees.js';
import { resolveId } from '../../shared/resolve-id.js';
import { abs, sessionBackupManifestRel } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { pathBytes, rawJoin, shellWord } from '../../shared/path-text.js';

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

/** pick, or — when only another worktree (a fork's) holds a backup of that name — one line saying to verify it there. */
async function pickHere(project: Project, all: BackupEntry[], target: string): Promise<BackupEntry[]> {
  try {
    return pick(all, target);
  } catch (err) {
    if (!(err instanceof SpecmapError) || err.code !== 'BACKUP_NOT_FOUND') throw err;
    const other = await findInOtherWorktrees(project, async (p) => (await catalogBackups(p)).find((b) => b.name.startsWith(target)));
    if (!other) throw err;
    const root = other.project.root;
    throw new SpecmapError('CONFLICT', `the backup of ${other.found.name} is in the worktree ${root}: run 'specmap backup verify' there (cd ${shellWord(pathBytes(root))})`, { kind: 'other-worktree', worktree: root });
  }
}

/**
 * Checks each ZIP first as a whole against its recorded SHA-256 (a changed header byte that no entry CRC covers),
 * then re-reads every entry (each CRC), compares each file with the manifest's size and SHA-256, and compares the
 * ZIP with its git copy. Plain folder copies (Python SpecMap) are checked for their manifest, their listed items,
 * safe names and readable files. Every difference is reported per file; nothing is repaired. Needs no lock.
 */
export async function verifyBackups(project: Project, opts: VerifyOptions): Promise<VerifyResult[]> {
  const all = await catalogBackups(project);
  const chosen = opts.target === undefined ? all : await pickHere(project, all, opts.target);
  const results: VerifyResult[] = [];
  for (const b of chosen) results.push(b.format === 'folder' ? verifyFolder(project, b) : await verifyZipBackup(project, b, opts.onProgress));
  return results;
}

/**
 * One ZIP backup: the archive against its recorded SHA-256, then every entry read (the entry check of
 * storage/zip/entry-check.ts and each CRC), the link rule restore applies (backupLinkPolicy), every file against the
 * manifest (size, SHA-256, mode) and against the git copy. Session ZIPs without a manifest (written before specmap
 * recorded one) are checked by their CRCs, with a note.
 */
async function verifyZipBackup(project: Project, b: BackupEntry, onProgress?: ProgressFn): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const notes: string[] = [];
  let files = 0;
  let archive: VerifyResult['archive'] = 'not-recorded';
  const read = backupManifest(project, b);
  if (!b.zipExists) {
    problems.push({ path: '', problem: b.refExists ? 'the ZIP is missing (restore can still use the git copy)' : 'the ZIP is missing' });
  } else {
    const hash = await checkArchiveHash(project, b, read);
    archive = hash.archive;
    problems.push(...hash.problems);
    notes.push(...hash.notes);
    if (b.kind === 'session' && !read) notes.push(`no ${sessionBackupManifestRel(b.name)} (written before specmap recorded one): files checked by their CRCs only`);
    try {
      const entries = await hashZipEntries(abs(project.root, b.zip), onProgress, 'verify');
      files = entries.length;
      const policy = backupLinkPolicy(b.kind);
      for (const e of entries) {
        if (e.symlink && linkVerdict(e.path, policy) === 'refuse') problems.push({ path: e.path, problem: 'a symbolic link, which restore refuses here' });
      }
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
