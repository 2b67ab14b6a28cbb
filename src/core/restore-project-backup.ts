import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecmapError, ioError, isSpecmapError } from './errors.js';
import { BACKUPS_DIR, abs } from './layout.js';
import { catalogBackups } from './backup-catalog.js';
import { checkDate, checkMilestoneName } from './backup-layout.js';
import { openProject, withProjectLock, type ProjectOptions } from './project.js';
import { archiveZip } from '../git/index.js';
import { extractZip } from '../archive/zip-reader.js';
import { tempPathFor } from '../fs/atomic-write.js';
import { toProjectPath } from '../fs/safe-path.js';
import { replaceDir } from '../fs/replace-dir.js';

export interface RestoreProjectBackupOptions extends ProjectOptions {
  kind: 'daily' | 'milestone';
  /** A date (daily) or milestone name. */
  name: string;
  /** Destination folder inside the project; default 04-agents/backups/restored/<kind>-<name>/. */
  to?: string;
  force?: boolean;
}

export interface RestoreProjectBackupResult {
  kind: 'daily' | 'milestone';
  name: string;
  source: 'zip' | 'git';
  destination: string;
  files: number;
  /** Why the git copy was used, and symlinks left out, one sentence each. */
  notes: string[];
}

/**
 * Restores a daily or milestone backup into a folder: from its ZIP, or from the git copy when the ZIP is missing
 * or damaged. Extraction is zip-slip proof and all or nothing; an existing destination needs `force`.
 */
export async function restoreProjectBackup(opts: RestoreProjectBackupOptions): Promise<RestoreProjectBackupResult> {
  const name = opts.kind === 'daily' ? checkDate(opts.name) : checkMilestoneName(opts.name);
  const project = await openProject(opts);
  const destRel = opts.to !== undefined ? toProjectPath(project.root, project.cwd, opts.to) : `${BACKUPS_DIR}/restored/${opts.kind}-${name}`;
  return withProjectLock(project, async () => {
    const entry = (await catalogBackups(project)).find((b) => b.kind === opts.kind && b.name === name);
    if (!entry || (!entry.zipExists && !entry.refExists)) {
      throw new SpecmapError('BACKUP_NOT_FOUND', `no ${opts.kind} backup ${name} (see 'specmap backup list')`);
    }
    const dest = abs(project.root, destRel);
    if (existsSync(dest) && !opts.force) throw new SpecmapError('CONFLICT', `${destRel}/ already exists (use --force to replace it)`);
    mkdirSync(dirname(dest), { recursive: true });
    const notes: string[] = [];
    const onSymlink = (n: string) => notes.push(`${n}: a symbolic link; not restored`);
    const staging = tempPathFor(dest);
    let source: 'zip' | 'git' = 'zip';
    let written: string[] | undefined;
    if (entry.zipExists) {
      try {
        written = await extractZip(abs(project.root, entry.zip), staging, { onSymlink });
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
        written = await extractZip(tmpZip, staging, { onSymlink });
      } finally {
        rmSync(tmpZip, { force: true });
      }
    }
    try {
      replaceDir(staging, dest);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw ioError('write', destRel, err);
    }
    return { kind: opts.kind, name, source, destination: `${destRel}/`, files: written.length, notes };
  });
}
