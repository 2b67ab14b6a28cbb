import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SpecmapError, isSpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, BACKUPS_DIR, DAILY_BACKUPS_DIR, abs } from '../../shared/layout.js';
import { pathWithin } from '../../shared/path-text.js';
import { uncommittedIn } from '../../storage/git/worktree.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { catalogBackups, type BackupEntry } from '../backup/catalog.js';
import { copyBackupFolder, listBackupFolder } from '../backup/folder.js';
import { checkDate, checkMilestoneName } from '../backup/layout.js';
import type { Project } from '../project/project.js';
import { archiveZip } from '../../storage/git/archive.js';
import { extractZip, listZip, type ExtractedFile } from '../../storage/zip/reader.js';
import { backupLinkPolicy, backupManifest, checkArchiveHash, compareWithManifest, recordMismatch } from '../backup/archive-checks.js';
import { MANIFEST_MODE } from '../backup/export.js';
import { isInside, toOutputDir, type OutputDir } from '../../storage/fs/project-path.js';
import { buildDir } from '../../storage/fs/replace-dir.js';
import { started, type ProgressFn } from '../../shared/progress.js';

export interface RestoreProjectBackupInput {
  kind: 'daily' | 'milestone';
  /** A date (daily; or daily-backup-<date> for a Python SpecMap folder) or milestone name. */
  name: string;
  /** Destination folder, already resolved (api/ checks the user's path); default 04-agents/backups/restored/<kind>-<name>/. */
  to?: OutputDir;
  /** How the user wrote `to`, for messages. */
  toShown?: string;
  force?: boolean;
  onProgress?: ProgressFn;
}

export interface RestoreProjectBackupOutcome {
  kind: 'daily' | 'milestone';
  name: string;
  /** 'folder': the plain copies of a Python SpecMap daily backup. */
  source: 'zip' | 'git' | 'folder';
  /** Project-relative with a trailing slash, or absolute when outside the project. */
  destination: string;
  files: number;
  /** Why the git copy was used, and symlinks left out, one sentence each. */
  notes: string[];
}

/** The name checked for its kind (a date, a legacy folder name, or a milestone name). */
export function checkProjectBackupName(kind: 'daily' | 'milestone', name: string): string {
  if (kind === 'milestone') return checkMilestoneName(name);
  const legacy = /^daily-backup-(.*)$/.exec(name);
  return legacy ? `daily-backup-${checkDate(legacy[1]!)}` : checkDate(name);
}
function findEntry(all: BackupEntry[], kind: 'daily' | 'milestone', name: string): BackupEntry {
  const entry = all.find((b) => b.kind === kind && b.name === name)
    ?? all.find((b) => b.kind === kind && b.format === 'folder' && b.folder === `${DAILY_BACKUPS_DIR}/${name}`);
  if (!entry || (!entry.zipExists && !entry.refExists)) {
    throw new SpecmapError('BACKUP_NOT_FOUND', `no ${kind} backup ${name}`, { kind: 'not-found' });
  }
  return entry;
}

/**
 * Extracts a backup ZIP after checking it against its record, as `backup verify` does (archive-checks.ts): the
 * whole archive's SHA-256 before anything is written, then each file's size, SHA-256 and mode as it is written,
 * against the manifest. A mismatch is CORRUPT_DATA (the caller's staging folder is discarded).
 */
export async function extractRecorded(project: Project, entry: BackupEntry, staging: string, onSymlink?: (name: string) => void, onProgress?: ProgressFn): Promise<string[]> {
  const read = backupManifest(project, entry);
  onProgress?.(started('check'));
  const hash = await checkArchiveHash(project, entry, read);
  if (hash.problems.length > 0) {
    // A refusal by the entry check names the real problem (an unsafe name, a damaged header) better than the hash.
    await listZip(abs(project.root, entry.zip));
    throw recordMismatch(entry.zip, hash.problems);
  }
  const skipped = new Set<string>();
  const files: ExtractedFile[] = [];
  const policy = backupLinkPolicy(entry.kind, (n) => {
    skipped.add(n);
    onSymlink?.(n);
  });
  const written = await extractZip(abs(project.root, entry.zip), staging, { ...policy, onFile: await extractCounter(abs(project.root, entry.zip), onProgress, (f) => files.push(f)) });
  const listed = read?.manifest?.files;
  if (listed) {
    const problems = compareWithManifest(listed.filter((f) => !skipped.has(f.path)), files.map((f) => ({ ...f, mode: MANIFEST_MODE[f.kind] })));
    if (problems.length > 0) throw recordMismatch(entry.zip, problems);
  }
  return written;
}

/** `onFile` for extractZip that also tells `onProgress` the files and bytes written of the archive's. */
async function extractCounter<F extends { size: number }>(zip: string, onProgress: ProgressFn | undefined, onFile?: (f: F) => void): Promise<((f: F) => void) | undefined> {
  if (!onProgress) return onFile;
  const listing = (await listZip(zip)).filter((e) => !e.isDirectory);
  const total = started('extract', listing.length, listing.reduce((n, e) => n + e.size, 0));
  let files = 0;
  let bytes = 0;
  onProgress(total);
  return (f) => {
    files += 1;
    bytes += f.size;
    onProgress({ ...total, files, bytes });
    onFile?.(f);
  };
}

/** An existing destination is refused unless it is an empty folder or `force` says to replace it. */
function checkDestination(dest: string, shown: string, force: boolean): void {
  if (!existsSync(dest) || force) return;
  if (lstatSync(dest).isDirectory() && readdirSync(dest).length === 0) return;
  throw new SpecmapError('CONFLICT', `${shown} already exists`, { kind: 'exists' });
}

const RESTORED_DIR = `${BACKUPS_DIR}/restored`;

/**
 * A folder the user names with `--to` that a restore must never replace, or fill, whatever `--force` says:
 * specmap's own records (`04-agents/`, anything in it but a folder under `04-agents/backups/restored/`, or a folder
 * holding it), the git dir and anything in or around it, and the project itself. With `force`, an existing folder
 * in the project that holds work git does not have (modified, staged, untracked or ignored files) is refused too:
 * replacing it would lose that work for good.
 */
async function checkNamedDestination(project: Project, out: OutputDir, input: string, force: boolean): Promise<void> {
  const refuse = (why: string) => {
    throw new SpecmapError('INVALID_INPUT', `cannot restore into ${input}: ${why}; name a new or empty folder`, { kind: 'destination' });
  };
  const real = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };
  for (const g of new Set([real(project.git.gitDir), real(project.git.commonDir)])) {
    if (isInside(g, out.abs) || isInside(out.abs, g)) refuse(`it is, holds or lies inside the git directory ${g}`);
  }
  if (out.rel === undefined) return;
  if (out.rel === '.' || out.rel === '') refuse('it is the project itself');
  if (pathWithin(AGENTS_DIR, out.rel) || (pathWithin(out.rel, AGENTS_DIR) && !(pathWithin(out.rel, RESTORED_DIR) && out.rel !== RESTORED_DIR))) {
    refuse(`${pathWithin(out.rel, AGENTS_DIR) ? 'it is specmap\'s own records folder or lies inside it' : `it holds ${AGENTS_DIR}/, specmap's own records`} (sessions and backups)`);
  }
  if (!force || !existsSync(out.abs)) return;
  const work = await uncommittedIn(project.git, out.rel);
  if (work.length > 0) {
    const shown = work.slice(0, 3).join(', ') + (work.length > 3 ? ` and ${work.length - 3} more` : '');
    throw new SpecmapError('CONFLICT', `cannot replace ${out.rel}/: it holds work git does not have (${shown}); commit or move it first, or name a new folder`, { kind: 'uncommitted' });
  }
}

/**
 * Restores a daily or milestone backup into a folder: from its ZIP, or from the git copy when the ZIP is missing
 * or damaged, or, for a Python SpecMap daily backup, from its plain folder copies (links never followed). The
 * destination may be outside the project when the user names it. The folder is built beside the destination and
 * swapped in, so it is all or nothing; extraction is zip-slip proof; an existing non-empty destination needs `force`.
 * Lock held.
 */
export async function restoreProjectBackup(project: Project, input: RestoreProjectBackupInput): Promise<RestoreProjectBackupOutcome> {
  const name = checkProjectBackupName(input.kind, input.name);
  const defaultRel = `${BACKUPS_DIR}/restored/${input.kind}-${name}`;
  // The default lies under 04-agents/backups/, which must not lead outside the project through a symlink.
  const out = input.to ?? (insideProject(project.root, defaultRel), toOutputDir(project.root, project.root, defaultRel));
  const dest = out.abs;
  const shown = `${out.rel ?? dest}/`;
  const entry = findEntry(await catalogBackups(project), input.kind, name);
  if (input.to) await checkNamedDestination(project, input.to, input.toShown ?? shown, input.force ?? false);
  checkDestination(dest, shown, input.force ?? false);
  mkdirSync(dirname(dest), { recursive: true });
  const notes: string[] = [];
  const onSymlink = (n: string) => notes.push(`${n}: a symbolic link; not restored`);
  const { source, files } = await buildDir(dest, async (staging) => {
    if (entry.format === 'folder') {
      const from = abs(project.root, entry.folder!);
      const listing = listBackupFolder(from, entry.folder!);
      notes.push(...listing.skipped);
      mkdirSync(staging);
      await copyBackupFolder(from, listing.files, staging);
      return { source: 'folder' as const, files: listing.files.length };
    }
    if (entry.zipExists) {
      try {
        return { source: 'zip' as const, files: (await extractRecorded(project, entry, staging, onSymlink, input.onProgress)).length };
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        if (!(isSpecmapError(err) && err.code === 'CORRUPT_DATA' && entry.refExists)) throw err;
        notes.push(`${entry.zip} is damaged (${err.message}); restored from the git copy instead`);
      }
    } else {
      notes.push(`${entry.zip} is missing; restored from the git copy ${entry.ref}`);
    }
    const tmpZip = `${staging}.zip`;
    try {
      const onProgress = input.onProgress;
      onProgress?.(started('archive'));
      await archiveZip(project.git, entry.ref!, tmpZip, 6, onProgress && ((files, bytes) => onProgress({ ...started('archive'), files, bytes })));
      const policy = backupLinkPolicy(entry.kind, onSymlink);
      return { source: 'git' as const, files: (await extractZip(tmpZip, staging, { ...policy, onFile: await extractCounter(tmpZip, onProgress) })).length };
    } finally {
      rmSync(tmpZip, { force: true });
    }
  }, { shown });
  return { kind: input.kind, name: entry.name, source, destination: shown, files, notes };
}
