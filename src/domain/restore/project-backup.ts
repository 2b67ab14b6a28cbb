import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecmapError, ioError, isSpecmapError } from '../../shared/errors.js';
import { BACKUPS_DIR, DAILY_BACKUPS_DIR, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { catalogBackups, type BackupEntry } from '../backup/catalog.js';
import { copyBackupFolder, listBackupFolder } from '../backup/folder.js';
import { checkDate, checkMilestoneName } from '../backup/layout.js';
import { openProject, withProjectLock, type ProjectOptions } from '../project/project.js';
import { archiveZip } from '../../storage/git/index.js';
import { extractZip } from '../../storage/zip/reader.js';
import { tempPathFor } from '../../storage/fs/atomic-write.js';
import { toOutputDir } from '../../storage/fs/project-path.js';
import { replaceDir } from '../../storage/fs/replace-dir.js';

export interface RestoreProjectBackupOptions extends ProjectOptions {
  kind: 'daily' | 'milestone';
  /** A date (daily; or daily-backup-<date> for a Python SpecMap folder) or milestone name. */
  name: string;
  /**
   * Destination folder, relative to cwd or absolute, inside or outside the project; default
   * 04-agents/backups/restored/<kind>-<name>/.
   */
  to?: string;
  force?: boolean;
}

export interface RestoreProjectBackupResult {
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

function checkName(kind: 'daily' | 'milestone', name: string): string {
  if (kind === 'milestone') return checkMilestoneName(name);
  const legacy = /^daily-backup-(.*)$/.exec(name);
  return legacy ? `daily-backup-${checkDate(legacy[1]!)}` : checkDate(name);
}

function findEntry(all: BackupEntry[], kind: 'daily' | 'milestone', name: string): BackupEntry {
  const entry = all.find((b) => b.kind === kind && b.name === name)
    ?? all.find((b) => b.kind === kind && b.format === 'folder' && b.folder === `${DAILY_BACKUPS_DIR}/${name}`);
  if (!entry || (!entry.zipExists && !entry.refExists)) {
    throw new SpecmapError('BACKUP_NOT_FOUND', `no ${kind} backup ${name} (see 'specmap backup list')`);
  }
  return entry;
}

/** An existing destination is refused unless it is an empty folder or `force` says to replace it. */
function checkDestination(dest: string, shown: string, force: boolean): void {
  if (!existsSync(dest) || force) return;
  if (lstatSync(dest).isDirectory() && readdirSync(dest).length === 0) return;
  throw new SpecmapError('CONFLICT', `${shown} already exists (use --force to replace it)`);
}

/**
 * Restores a daily or milestone backup into a folder: from its ZIP, or from the git copy when the ZIP is missing
 * or damaged, or, for a Python SpecMap daily backup, from its plain folder copies (links never followed). The
 * destination may be outside the project when the user names it. The folder is built beside the destination and
 * renamed in, so it is all or nothing; extraction is zip-slip proof; an existing non-empty destination needs `force`.
 */
export async function restoreProjectBackup(opts: RestoreProjectBackupOptions): Promise<RestoreProjectBackupResult> {
  const name = checkName(opts.kind, opts.name);
  const project = await openProject(opts);
  const defaultRel = `${BACKUPS_DIR}/restored/${opts.kind}-${name}`;
  // The default lies under 04-agents/backups/, which must not lead outside the project through a symlink.
  if (opts.to === undefined) insideProject(project.root, defaultRel);
  const out = toOutputDir(project.root, opts.to !== undefined ? project.cwd : project.root, opts.to ?? defaultRel);
  const dest = out.abs;
  const shown = `${out.rel ?? dest}/`;
  return withProjectLock(project, async () => {
    const entry = findEntry(await catalogBackups(project), opts.kind, name);
    checkDestination(dest, shown, opts.force ?? false);
    mkdirSync(dirname(dest), { recursive: true });
    const notes: string[] = [];
    const onSymlink = (n: string) => notes.push(`${n}: a symbolic link; not restored`);
    const staging = tempPathFor(dest);
    let source: RestoreProjectBackupResult['source'] = 'zip';
    let written: number | undefined;
    if (entry.format === 'folder') {
      source = 'folder';
      const from = abs(project.root, entry.folder!);
      const listing = listBackupFolder(from, entry.folder!);
      notes.push(...listing.skipped);
      mkdirSync(staging);
      try {
        await copyBackupFolder(from, listing.files, staging);
      } catch (err) {
        rmSync(staging, { recursive: true, force: true });
        throw err;
      }
      written = listing.files.length;
    } else if (entry.zipExists) {
      try {
        written = (await extractZip(abs(project.root, entry.zip), staging, { onSymlink })).length;
      } catch (err) {
        if (!(isSpecmapError(err) && err.code === 'CORRUPT_DATA' && entry.refExists)) throw err;
        notes.push(`${entry.zip} is damaged (${err.message}); restored from the git copy instead`);
      }
    } else {
      notes.push(`${entry.zip} is missing; restored from the git copy ${entry.ref}`);
    }
    if (written === undefined) {
      source = 'git';
      const tmpZip = `${staging}.zip`;
      try {
        await archiveZip(project.git, entry.ref!, tmpZip);
        written = (await extractZip(tmpZip, staging, { onSymlink })).length;
      } finally {
        rmSync(tmpZip, { force: true });
      }
    }
    try {
      replaceDir(staging, dest);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw ioError('write', shown, err);
    }
    return { kind: opts.kind, name: entry.name, source, destination: shown, files: written, notes };
  });
}
