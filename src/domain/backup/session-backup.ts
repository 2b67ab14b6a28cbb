import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSpecmapError } from '../../shared/errors.js';
import { readCheckpointFiles } from '../checkpoint/files.js';
import { pathText, rawJoin } from '../../shared/path-text.js';
import { sortedEntries } from '../../storage/fs/read-dir.js';
import { abs, sessionBackupChecksumRel, sessionBackupManifestRel, sessionBackupRel } from '../../shared/layout.js';
import { MANIFEST_MODE } from './export.js';
import { manifestTimestamp, writeSessionManifest } from './manifest.js';
import { now } from '../../shared/clock.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { writeChecksumFile } from './checksum.js';
import { withProjectLock, type Project } from '../project/project.js';
import { hasPendingBackups, pendingBackupsDir } from '../project/queues.js';
import { renderSessionYaml, type SessionDoc } from '../session/session-file.js';
import { loadSession, resolveSession, type SessionHandle } from '../session/store.js';
import { writeZip, type ZipSource } from '../../storage/zip/writer.js';
import { TRANSCRIPT_FILE, sessionTranscript } from '../agent/transcripts.js';
import { scratchPath } from '../../storage/git/temp-index.js';
import { started, type ProgressFn } from '../../shared/progress.js';

export interface WorkspaceEntries {
  entries: ZipSource[];
  /** Things left out of the backup, one sentence each (symlinks, sockets). */
  skipped: string[];
}

const SLASH = Buffer.from('/');

/**
 * The ZIP entries for a whole session workspace, named relative to the workspace root. `overrides` replaces a
 * file's content (end puts the final session.yaml in the ZIP before it is written to disk).
 */
export function workspaceEntries(dir: string, overrides: Record<string, string> = {}): WorkspaceEntries {
  const entries: ZipSource[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const walk = (absDir: Buffer, prefix: Buffer) => {
    for (const item of sortedEntries(absDir)) {
      const raw = Buffer.concat([prefix, item.name]);
      const name = pathText(raw);
      const path = rawJoin(absDir, item.name);
      if (item.isDirectory()) {
        entries.push({ name: pathText(Buffer.concat([raw, SLASH])), data: '' });
        walk(path, Buffer.concat([raw, SLASH]));
      } else if (item.isFile()) {
        seen.add(name);
        const override = overrides[name];
        entries.push(override !== undefined ? { name, data: override } : { name, file: path });
      } else {
        skipped.push(`${name}: not a regular file (symlinks and special files are not backed up)`);
      }
    }
  };
  walk(Buffer.from(dir), Buffer.alloc(0));
  for (const [name, data] of Object.entries(overrides)) {
    if (!seen.has(name)) entries.push({ name, data });
  }
  return { entries, skipped };
}

/**
 * Each checkpoint's files under snapshots/<checkpoint>/<project path>, read from git in working-tree form (as
 * `git checkout` writes them: line endings, filters, links as links, the executable bit) and staged on disk, so
 * that a restore still works from the ZIP alone once the git objects are gone, and large files never sit in
 * memory. Checkpoints that already have copies on disk (the Python tool's) are in the workspace entries as they are.
 */
async function checkpointCopies(project: Project, h: SessionHandle, doc: SessionDoc, warnings: string[], temps: string[], onProgress?: ProgressFn): Promise<ZipSource[]> {
  const out: ZipSource[] = [];
  for (const entry of doc.checkpoints) {
    if (existsSync(abs(h.dir, `snapshots/${entry.id}`))) continue;
    try {
      const read = await readCheckpointFiles(project, h, entry);
      const files = read.files.filter((f) => f.kind !== 'submodule');
      const dir = scratchPath(project.git, 'zip-stage');
      rmSync(dir, { recursive: true, force: true });
      temps.push(dir);
      onProgress?.(started('stage', files.length));
      await read.stage(dir, files, onProgress && ((done, total) => onProgress({ ...started('stage', total), files: done })));
      for (const f of files) {
        const name = pathText(Buffer.concat([Buffer.from(`snapshots/${entry.id}/`), f.raw]));
        const staged = rawJoin(dir, f.raw);
        if (f.kind === 'symlink') out.push({ name, data: readlinkSync(staged, { encoding: 'buffer' }), mode: 0o120777 });
        else out.push({ name, file: staged, mode: f.kind === 'executable' ? 0o755 : 0o644 });
      }
      warnings.push(...read.skipped.map((s) => `${entry.id}: ${s}`));
    } catch (err) {
      if (!isSpecmapError(err) || err.code !== 'CHECKPOINT_NOT_FOUND') throw err;
      warnings.push(`${entry.id}: its files are not in the backup (${err.message})`);
    }
  }
  return out;
}

export interface SessionBackupResult {
  path: string;
  entries: number;
  bytes: number;
  warnings: string[];
}

/**
 * Writes backups/sessions/<id>-backup.zip: the workspace (with `yamlText` as its session.yaml) and checkpoint files,
 * its manifest in <id>-backup.manifest.json (the archive's and each file's SHA-256 and mode, taken as the bytes were
 * written) and the archive's SHA-256 in <id>-backup.zip.sha256 (for `sha256sum -c`).
 */
export async function writeSessionBackup(project: Project, h: SessionHandle, doc: SessionDoc, yamlText = renderSessionYaml(doc), onProgress?: ProgressFn): Promise<SessionBackupResult> {
  const rel = sessionBackupRel(h.id);
  const zipPath = insideProject(project.root, rel);
  // The agent's transcript is kept out of the project tree (see agent/transcripts.ts); the ZIP carries it whole.
  const transcript = await sessionTranscript(project, h.id);
  const { entries, skipped } = workspaceEntries(h.dir, { 'session.yaml': yamlText, ...(transcript !== undefined ? { [TRANSCRIPT_FILE]: transcript } : {}) });
  const warnings = [...skipped];
  const temps: string[] = [];
  try {
    entries.push(...(await checkpointCopies(project, h, doc, warnings, temps, onProgress)));
    mkdirSync(dirname(zipPath), { recursive: true });
    // The old records go first: a crash before the new ones are written leaves "not recorded", never a false mismatch.
    const checksum = abs(project.root, sessionBackupChecksumRel(h.id));
    const manifest = abs(project.root, sessionBackupManifestRel(h.id));
    rmSync(checksum, { force: true });
    rmSync(manifest, { force: true });
    onProgress?.(started('zip', entries.length));
    const written = await writeZip(zipPath, entries, 6, onProgress && ((files, totalFiles, bytes, totalBytes) => onProgress({ phase: 'zip', files, totalFiles, bytes, totalBytes })));
    writeSessionManifest(manifest, {
      session: h.id, timestamp: manifestTimestamp(now()), zip: rel, archive_sha256: written.sha256, archive_bytes: written.bytes,
      files: written.files.map((f) => ({ path: f.name, size: f.size, sha256: f.sha256, mode: MANIFEST_MODE[modeKind(f.mode)] })),
    });
    writeChecksumFile(checksum, zipPath, written.sha256);
    return { path: rel, entries: written.entries, bytes: written.bytes, warnings };
  } finally {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  }
}


/** The kind a written mode gives (the same reading entry-check.ts applies to a Unix mode). */
function modeKind(mode: number): 'file' | 'executable' | 'symlink' {
  if ((mode & 0o170000) === 0o120000) return 'symlink';
  return mode & 0o111 ? 'executable' : 'file';
}

/** Marks a session's ZIP as owed; the marker goes only once the ZIP is complete. */
export function queueBackup(project: Project, id: string): void {
  mkdirSync(pendingBackupsDir(project), { recursive: true });
  writeFileSync(join(pendingBackupsDir(project), id), `${id}\n`);
}

/** Writes every owed session ZIP (call with the project lock held). Returns the ZIPs written. */
export async function completePendingBackupsLocked(project: Project): Promise<SessionBackupResult[]> {
  if (!hasPendingBackups(project)) return [];
  const done: SessionBackupResult[] = [];
  for (const id of readdirSync(pendingBackupsDir(project))) {
    let h: SessionHandle | undefined;
    try {
      h = resolveSession(project, id);
    } catch {
      h = undefined;
    }
    if (h && h.id === id) done.push(await writeSessionBackup(project, h, loadSession(h)));
    // A session that no longer exists owes nothing.
    rmSync(join(pendingBackupsDir(project), id), { force: true });
  }
  return done;
}
/**
 * `specmap complete-backups`: writes owed session ZIPs (the detached process SessionEnd starts). Takes the lock
 * itself, and only when a ZIP is owed, so the common case (nothing owed) never waits for another command.
 */
export async function completePendingBackups(project: Project): Promise<SessionBackupResult[]> {
  if (!hasPendingBackups(project)) return [];
  return withProjectLock(project, () => completePendingBackupsLocked(project));
}
