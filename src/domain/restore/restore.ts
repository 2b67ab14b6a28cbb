import { resolveAnySession } from '../session/lookup.js';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecmapError, ioError, isSpecmapError } from '../../shared/errors.js';
import { restoreInPlace } from './in-place.js';
import { resolveCheckpointEntry } from '../checkpoint/checkpoint-ref.js';
import { readCheckpointFiles, type CheckpointFile, type CheckpointFiles, type FilesSource } from '../checkpoint/files.js';
import { ACTIVE_DIR, SESSION_BACKUPS_DIR, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { settleLocked } from '../project/settle.js';
import { sessionEntries, type LogEntry } from '../session/log.js';
import { openProject, withProjectLock, type Project, type ProjectOptions } from '../project/project.js';
import { loadSession } from '../session/store.js';
import { extractZip } from '../../storage/zip/reader.js';
import { tempPathFor } from '../../storage/fs/atomic-write.js';
import { toProjectPath } from '../../storage/fs/project-path.js';
import { replaceDir } from '../../storage/fs/replace-dir.js';

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
    if (opts.inPlace) {
      const r = await restoreInPlace(project, h, doc, entry, paths);
      return { session: h.id, checkpoint: entry.id, destination: '.', ...r };
    }
    const read = await readCheckpointFiles(project, h, entry, paths);
    const files = read.files.filter((f) => f.kind !== 'submodule');
    const skipped = [...read.skipped, ...read.files.filter((f) => f.kind === 'submodule').map((f) => `${f.path}: a submodule; not restored`)];
    if (files.length === 0) {
      const why = skipped.length > 0 ? skipped.join('; ') : read.deleted.length > 0 ? `every file asked for is absent there (${read.deleted.join(', ')})` : 'it holds no files';
      throw new SpecmapError('NOTHING_TO_DO', `nothing to restore from ${h.id}:${entry.id}: ${why}`);
    }
    const destRel = `${ACTIVE_DIR}/${h.id}-${entry.id}-restored`;
    await writeFolder(project, destRel, read, files, opts.force ?? false);
    return {
      session: h.id, checkpoint: entry.id, source: read.source, destination: `${destRel}/`, written: files.map((f) => f.path),
      deleted: read.deleted, skipped,
    };
  });
}

/** Stages the folder beside its destination and renames it into place; with `force` the old one goes last. */
async function writeFolder(project: Project, destRel: string, read: CheckpointFiles, files: CheckpointFile[], force: boolean): Promise<void> {
  const dest = abs(project.root, destRel);
  if (existsSync(dest) && !force) {
    throw new SpecmapError('CONFLICT', `${destRel}/ already exists (use --force to replace it)`);
  }
  mkdirSync(dirname(dest), { recursive: true });
  const staging = tempPathFor(dest);
  try {
    await read.stage(staging, files);
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
    // Checkpoint files may be symbolic links; they come back as the links they were.
    const written = await extractZip(abs(project.root, backup.path), staging, { keepLink: (n) => n.startsWith('snapshots/') });
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
