import { resolveAnySession } from './session-lookup.js';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecmapError, ioError, isSpecmapError } from './errors.js';
import { checkpointLocked, type CheckpointResult } from './checkpoint.js';
import { resolveCheckpointEntry } from './checkpoint-ref.js';
import { readCheckpointFiles, writeRestoredFile, type FilesSource, type RestoredFile } from './checkpoint-files.js';
import { ACTIVE_DIR, BACKUPS_DIR, SESSION_BACKUPS_DIR, abs, insideProject } from './layout.js';
import { catalogBackups } from './backup-catalog.js';
import { settleLocked } from './settle.js';
import { checkDate, checkMilestoneName } from './backup-layout.js';
import { archiveZip } from '../git/index.js';
import { sessionEntries, type LogEntry } from './log.js';
import { openProject, withProjectLock, type Project, type ProjectOptions } from './project.js';
import { listSessionHandles, loadSession, type SessionHandle } from './session-store.js';
import { extractZip } from '../archive/zip-reader.js';
import { tempPathFor } from '../fs/atomic-write.js';
import { toProjectPath } from '../fs/safe-path.js';
import { replaceDir } from '../fs/replace-dir.js';

export interface ListCheckpointsResult {
  session: string;
  checkpoints: LogEntry[];
}

export async function listCheckpoints(opts: ProjectOptions & { session: string }): Promise<ListCheckpointsResult> {
  const project = await openProject(opts);
  const h = await resolveAnySession(project, opts.session);
  return { session: h.id, checkpoints: await sessionEntries(project, h, loadSession(h)) };
}

export interface RestoreCheckpointOptions extends ProjectOptions {
  session: string;
  checkpoint: string;
  /** Write into the working tree instead of a -restored folder (after a safety checkpoint). */
  inPlace?: boolean;
  /** Only these files or folders (relative to cwd). */
  paths?: string[];
  /** Replace an existing -restored folder. */
  force?: boolean;
}

export interface RestoreCheckpointResult {
  session: string;
  checkpoint: string;
  source: FilesSource;
  /** Project-relative folder written (with a trailing slash), or '.' for an in-place restore. */
  destination: string;
  written: string[];
  /** Files absent at that checkpoint: deleted in place, left out of a -restored folder. */
  deleted: string[];
  skipped: string[];
  /** In-place only: the checkpoint taken first, and the command that undoes the restore. */
  safety?: { session: string; checkpoint: string; commit: string; undo: string };
}

export async function restoreCheckpoint(opts: RestoreCheckpointOptions): Promise<RestoreCheckpointResult> {
  const project = await openProject(opts);
  const paths = opts.paths && opts.paths.length > 0 ? opts.paths.map((p) => toProjectPath(project.root, project.cwd, p)) : undefined;
  return withProjectLock(project, async () => {
    await settleLocked(project);
    const h = await resolveAnySession(project, opts.session);
    const doc = loadSession(h);
    const { entry } = resolveCheckpointEntry(doc, opts.checkpoint);
    const read = await readCheckpointFiles(project, h, entry, paths);
    const base = { session: h.id, checkpoint: entry.id, source: read.source, skipped: read.skipped };
    const present = read.files.filter((f) => f.data !== null);
    const deleted = read.files.filter((f) => f.data === null).map((f) => f.path);
    if (opts.inPlace) {
      const safety = await safetyCheckpoint(project, h, entry.id);
      const written = await writeInPlace(project, read.files);
      const undoPaths = [...new Set([...written, ...deleted])];
      return {
        ...base,
        destination: '.',
        written,
        deleted: deleted.filter((p) => !existsSync(abs(project.root, p))),
        safety: {
          session: safety.session,
          checkpoint: safety.id,
          commit: safety.commit,
          undo: `specmap restore --restore-checkpoint ${safety.session} ${safety.id} --in-place ${undoPaths.join(' ')}`,
        },
      };
    }
    const destRel = `${ACTIVE_DIR}/${h.id}-${entry.id}-restored`;
    await writeFolder(project, destRel, present, opts.force ?? false);
    return { ...base, destination: `${destRel}/`, written: present.map((f) => f.path), deleted };
  });
}

/**
 * Before anything in the working tree is overwritten, its current state becomes a checkpoint: in the restored
 * session if it is active, else in the only active session.
 */
async function safetyCheckpoint(project: Project, h: SessionHandle, restoring: string): Promise<CheckpointResult> {
  let target = h;
  if (h.state !== 'active') {
    const active = listSessionHandles(project, ['active']);
    if (active.length !== 1) {
      throw new SpecmapError(
        'CONFLICT',
        `an in-place restore first checkpoints the working tree into an active session, and ${active.length === 0 ? 'none is active' : `${active.length} are active`}: ` +
          (active.length === 0 ? `run 'specmap start "restore ${restoring}"' first` : 'restore from the active session you mean'),
      );
    }
    target = active[0]!;
  }
  return checkpointLocked(project, target, loadSession(target), {
    description: `Safety checkpoint before restoring ${h.id}:${restoring} in place`,
    allowEmpty: true,
  });
}

async function writeInPlace(project: Project, files: RestoredFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    // Re-validated against the real file system: a symlinked folder must not carry a write outside the project.
    const rel = toProjectPath(project.root, project.root, f.path);
    const target = abs(project.root, rel);
    if (f.data === null) {
      if (existsSync(target) && statSync(target).isFile()) rmSync(target);
      continue;
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
      await writeRestoredFile(project, f, target);
    } catch (err) {
      throw isSpecmapError(err) ? err : ioError('restore', rel, err);
    }
    written.push(rel);
  }
  return written;
}

/** Builds the folder beside its destination and renames it into place; with `force` the old one goes last. */
async function writeFolder(project: Project, destRel: string, files: RestoredFile[], force: boolean): Promise<void> {
  const dest = abs(project.root, destRel);
  if (existsSync(dest) && !force) {
    throw new SpecmapError('CONFLICT', `${destRel}/ already exists (use --force to replace it)`);
  }
  mkdirSync(dirname(dest), { recursive: true });
  const staging = tempPathFor(dest);
  try {
    mkdirSync(staging);
    for (const f of files) {
      const out = abs(staging, f.path);
      mkdirSync(dirname(out), { recursive: true });
      await writeRestoredFile(project, f, out, { atomic: false });
    }
    replaceDir(staging, dest);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw isSpecmapError(err) ? err : ioError('write', destRel, err);
  }
}

export interface BackupInfo {
  session: string;
  kind: 'session';
  /** Project-relative path of the ZIP. */
  path: string;
  bytes: number;
  modified: string;
}

const SESSION_ZIP = /^(.+)-backup\.zip$/;

export async function listBackups(opts: ProjectOptions): Promise<BackupInfo[]> {
  const project = await openProject(opts);
  const dir = abs(project.root, SESSION_BACKUPS_DIR);
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = SESSION_ZIP.exec(name);
    if (!m) continue;
    const st = statSync(abs(dir, name));
    if (!st.isFile()) continue;
    out.push({ session: m[1]!, kind: 'session', path: `${SESSION_BACKUPS_DIR}/${name}`, bytes: st.size, modified: st.mtime.toISOString() });
  }
  return out;
}

export interface RestoreBackupOptions extends ProjectOptions {
  session: string;
  force?: boolean;
}

export interface RestoreBackupResult {
  session: string;
  backup: string;
  destination: string;
  files: number;
}

/** Extracts a session ZIP to sessions/active/<id>-restored/: verified, zip-slip proof, all or nothing. */
export async function restoreBackup(opts: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const project = await openProject(opts);
  return withProjectLock(project, async () => {
    const backup = resolveBackup(await listBackups({ cwd: project.root }), opts.session);
    const destRel = `${ACTIVE_DIR}/${backup.session}-restored`;
    const dest = insideProject(project.root, destRel);
    if (existsSync(dest) && !opts.force) {
      throw new SpecmapError('CONFLICT', `${destRel}/ already exists (use --force to replace it)`);
    }
    const staging = tempPathFor(dest);
    const written = await extractZip(abs(project.root, backup.path), staging);
    try {
      replaceDir(staging, dest);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw ioError('write', destRel, err);
    }
    return { session: backup.session, backup: backup.path, destination: `${destRel}/`, files: written.length };
  });
}

function resolveBackup(all: BackupInfo[], ref: string): BackupInfo {
  if (ref === '@' || ref.length === 0) throw new SpecmapError('INVALID_INPUT', 'name the session whose backup to restore');
  const exact = all.find((b) => b.session === ref);
  if (exact) return exact;
  const matches = all.filter((b) => b.session.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new SpecmapError('SESSION_AMBIGUOUS', `backup '${ref}' is ambiguous; it matches ${matches.map((b) => b.session).join(', ')}`);
  }
  throw new SpecmapError('BACKUP_NOT_FOUND', `no session backup matches '${ref}' in ${SESSION_BACKUPS_DIR}/ (see 'specmap restore --list-backups')`);
}

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
    const dest = insideProject(project.root, destRel);
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
