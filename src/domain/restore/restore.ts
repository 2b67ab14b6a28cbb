import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { ACTIVE_DIR, SESSION_BACKUPS_DIR } from '../../shared/layout.js';
import { resolveId } from '../../shared/resolve-id.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { buildDir } from '../../storage/fs/replace-dir.js';
import { extractRecorded } from './project-backup.js';
import { catalogBackups, type BackupEntry } from '../backup/catalog.js';
import { findInOtherWorktrees } from '../session/worktrees.js';
import { resolveCheckpointEntry } from '../checkpoint/checkpoint-ref.js';
import { readCheckpointFiles, type CheckpointFile, type CheckpointFiles, type FilesSource } from '../checkpoint/files.js';
import type { Project } from '../project/project.js';
import { sessionEntries, type LogEntry } from '../session/log.js';
import { resolveAnySession } from '../session/lookup.js';
import { loadSession } from '../session/store.js';
import { applyInPlace, planInPlace } from './in-place.js';
import { started, type ProgressFn } from '../../shared/progress.js';

export interface ListCheckpointsOutcome {
  session: string;
  checkpoints: LogEntry[];
}

/** A session's checkpoints, oldest first, with where a restore would read each one's files from. No lock needed. */
export async function listCheckpoints(project: Project, input: { session: string }): Promise<ListCheckpointsOutcome> {
  const h = await resolveAnySession(project, input.session);
  return { session: h.id, checkpoints: await sessionEntries(project, h, loadSession(h)) };
}

export interface RestoreCheckpointInput {
  session: string;
  checkpoint: string;
  /** Write into the working tree instead of a -restored folder (after a safety checkpoint). */
  inPlace?: boolean;
  /** Only these files or folders: project-relative POSIX paths, already checked (api/ resolves the user's). */
  paths?: string[];
  /** Replace an existing -restored folder. */
  force?: boolean;
  /** With inPlace: work out and check the restore, and stop before anything is written. */
  dryRun?: boolean;
  onProgress?: ProgressFn;
}

export interface RestoreCheckpointOutcome {
  session: string;
  checkpoint: string;
  source: FilesSource;
  /** Project-relative folder written (with a trailing slash), or '.' for an in-place restore. */
  destination: string;
  written: string[];
  /** Files absent at that checkpoint: deleted in place, left out of a -restored folder. */
  deleted: string[];
  skipped: string[];
  /** In-place only: the checkpoint taken first (a dry run's: no commit, the id it would get now), and the command that undoes the restore. */
  safety?: { session: string; checkpoint: string; commit: string | null; undo: string };
}

/**
 * Brings back a checkpoint's files: into sessions/active/<id>-<checkpoint>-restored/ (built beside it and swapped
 * in), or, `inPlace`, into the working tree after a safety checkpoint, all or nothing (in-place.ts). Lock held.
 */
export async function restoreCheckpoint(project: Project, input: RestoreCheckpointInput): Promise<RestoreCheckpointOutcome> {
  const paths = input.paths && input.paths.length > 0 ? input.paths : undefined;
  const h = await resolveAnySession(project, input.session);
  const doc = loadSession(h);
  const { entry } = resolveCheckpointEntry(doc, input.checkpoint);
  if (input.inPlace) {
    const plan = await planInPlace(project, h, doc, entry, paths, input.onProgress);
    const r = input.dryRun ? plan : await applyInPlace(project, plan, input.onProgress);
    return { session: h.id, checkpoint: entry.id, destination: '.', source: r.source, written: r.written, deleted: r.deleted, skipped: r.skipped, safety: r.safety };
  }
  if (input.dryRun) throw new SpecmapError('USAGE', 'a dry run of a restore goes with --in-place', { kind: 'dry-run' });
  const read = await readCheckpointFiles(project, h, entry, paths);
  const files = read.files.filter((f) => f.kind !== 'submodule');
  const skipped = [...read.skipped, ...read.files.filter((f) => f.kind === 'submodule').map((f) => `${f.path}: a submodule; not restored`)];
  if (files.length === 0) {
    const why = skipped.length > 0 ? skipped.join('; ') : read.deleted.length > 0 ? `every file asked for is absent there (${read.deleted.join(', ')})` : 'it holds no files';
    throw new SpecmapError('NOTHING_TO_DO', `nothing to restore from ${h.id}:${entry.id}: ${why}`, { kind: 'no-files' });
  }
  const destRel = `${ACTIVE_DIR}/${h.id}-${entry.id}-restored`;
  await writeFolder(project, destRel, read, files, input.force ?? false, input.onProgress);
  return {
    session: h.id, checkpoint: entry.id, source: read.source, destination: `${destRel}/`, written: files.map((f) => f.path),
    deleted: read.deleted, skipped,
  };
}

const exists = (destRel: string) =>
  new SpecmapError('CONFLICT', `${destRel}/ already exists`, { kind: 'exists' });

/**
 * Stages the folder beside its destination and swaps it in; with `force` the old one goes last. The destination is
 * in this worktree, whichever worktree holds the session (a fork's checkpoint comes out here), and a symlink on the
 * way out of the project is refused before anything is written.
 */
async function writeFolder(project: Project, destRel: string, read: CheckpointFiles, files: CheckpointFile[], force: boolean, onProgress?: ProgressFn): Promise<void> {
  const dest = insideProject(project.root, destRel);
  if (existsSync(dest) && !force) throw exists(destRel);
  mkdirSync(dirname(dest), { recursive: true });
  onProgress?.(started('restore', files.length));
  const told = onProgress && ((done: number, total: number) => onProgress({ ...started('restore', total), files: done }));
  await buildDir(dest, (staging) => read.stage(staging, files, told), { shown: destRel });
}

export interface RestoreBackupInput {
  session: string;
  force?: boolean;
  onProgress?: ProgressFn;
}

export interface RestoreBackupOutcome {
  session: string;
  /** Project-relative path of the ZIP. */
  backup: string;
  destination: string;
  files: number;
}

/**
 * Extracts a session ZIP to sessions/active/<id>-restored/: checked against its manifest (or .sha256) as
 * `backup verify` checks it, zip-slip proof, all or nothing. Lock held.
 */
export async function restoreBackup(project: Project, input: RestoreBackupInput): Promise<RestoreBackupOutcome> {
  if (input.session === '@' || input.session.length === 0) {
    throw new SpecmapError('INVALID_INPUT', 'name the session whose backup to restore', { kind: 'no-session' });
  }
  const { holder, backup } = await findSessionZip(project, input.session);
  const session = backup.name;
  const destRel = `${ACTIVE_DIR}/${session}-restored`;
  const dest = insideProject(project.root, destRel);
  if (existsSync(dest) && !input.force) throw exists(destRel);
  // Checkpoint files may be symbolic links; they come back as the links they were.
  const written = await buildDir(dest, (staging) => extractRecorded(holder, backup, staging, undefined, input.onProgress), { shown: destRel });
  const zip = holder === project ? backup.zip : relative(project.root, join(holder.root, backup.zip));
  return { session, backup: zip, destination: `${destRel}/`, files: written.length };
}

/**
 * The session ZIP `ref` names (id or unique prefix): in this worktree's 04-agents/backups/sessions/, else in
 * another worktree's (a fork ended there writes its ZIP in its own folder), as the read-only commands find a fork.
 */
async function findSessionZip(project: Project, ref: string): Promise<{ holder: Project; backup: BackupEntry }> {
  const zipsOf = async (p: Project) => (await catalogBackups(p)).filter((b) => b.kind === 'session' && b.zipExists);
  const here = await zipsOf(project);
  const opts = { what: 'session backup', where: ` in ${SESSION_BACKUPS_DIR}/`, notFound: 'BACKUP_NOT_FOUND' as const };
  try {
    const name = resolveId(ref, here.map((b) => b.name), opts);
    return { holder: project, backup: here.find((b) => b.name === name)! };
  } catch (err) {
    if (!(err instanceof SpecmapError) || err.code !== 'BACKUP_NOT_FOUND') throw err;
    const other = await findInOtherWorktrees(project, async (p) => {
      const there = await zipsOf(p);
      return there.some((b) => b.name.startsWith(ref)) ? there : undefined;
    });
    if (!other) throw err;
    const name = resolveId(ref, other.found.map((b) => b.name), { ...opts, where: ` in ${other.project.root}/${SESSION_BACKUPS_DIR}/` });
    return { holder: other.project, backup: other.found.find((b) => b.name === name)! };
  }
}
