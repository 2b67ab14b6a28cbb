import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ioError, isSpecmapError } from './errors.js';
import { readCheckpointFiles, writeRestoredFile } from './checkpoint-files.js';
import { abs, insideProject, sessionBackupRel } from './layout.js';
import { openProject, withProjectLock, type Project, type ProjectOptions } from './project.js';
import { renderSessionYaml, type SessionDoc } from './session-file.js';
import { loadSession, resolveSession, type SessionHandle } from './session-store.js';
import { writeZip, type ZipSource } from '../archive/zip-writer.js';

export interface WorkspaceEntries {
  entries: ZipSource[];
  /** Things left out of the backup, one sentence each (symlinks, sockets). */
  skipped: string[];
}

/**
 * The ZIP entries for a whole session workspace, named relative to the workspace root. `overrides` replaces a
 * file's content (end puts the final session.yaml in the ZIP before it is written to disk).
 */
export function workspaceEntries(dir: string, overrides: Record<string, string> = {}): WorkspaceEntries {
  const entries: ZipSource[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const walk = (absDir: string, prefix: string) => {
    let items;
    try {
      items = readdirSync(absDir, { withFileTypes: true });
    } catch (err) {
      throw ioError('read', absDir, err);
    }
    items.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      const name = prefix + item.name;
      const path = join(absDir, item.name);
      if (item.isDirectory()) {
        entries.push({ name: `${name}/`, data: '' });
        walk(path, `${name}/`);
      } else if (item.isFile()) {
        seen.add(name);
        const override = overrides[name];
        entries.push(override !== undefined ? { name, data: override } : { name, file: path });
      } else {
        skipped.push(`${name}: not a regular file (symlinks and special files are not backed up)`);
      }
    }
  };
  walk(dir, '');
  for (const [name, data] of Object.entries(overrides)) {
    if (!seen.has(name)) entries.push({ name, data });
  }
  return { entries, skipped };
}

/**
 * Each checkpoint's files under snapshots/<checkpoint>/<project path>, read from git, so that a restore still
 * works from the ZIP alone once the git objects are gone. Checkpoints that already have copies on disk (the
 * Python tool's) are in the workspace entries as they are.
 */
async function checkpointCopies(project: Project, h: SessionHandle, doc: SessionDoc, warnings: string[], temps: string[]): Promise<ZipSource[]> {
  const out: ZipSource[] = [];
  for (const entry of doc.checkpoints) {
    if (existsSync(abs(h.dir, `snapshots/${entry.id}`))) continue;
    try {
      const read = await readCheckpointFiles(project, h, entry);
      for (const f of read.files) {
        const name = `snapshots/${entry.id}/${f.path}`;
        if (f.data === null) continue;
        if (f.data !== undefined) {
          out.push({ name, data: f.data });
        } else {
          // A large file goes into the ZIP from a temp copy, a chunk at a time, never whole in memory.
          const tmp = join(project.git.gitDir, 'specmap', `zip-blob.${process.pid}.${temps.length}`);
          mkdirSync(dirname(tmp), { recursive: true });
          rmSync(tmp, { force: true });
          temps.push(tmp);
          await writeRestoredFile(project, f, tmp, { atomic: false });
          out.push({ name, file: tmp });
        }
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

/** Writes backups/sessions/<id>-backup.zip: the workspace (with `yamlText` as its session.yaml) and checkpoint files. */
export async function writeSessionBackup(project: Project, h: SessionHandle, doc: SessionDoc, yamlText = renderSessionYaml(doc)): Promise<SessionBackupResult> {
  const rel = sessionBackupRel(h.id);
  const zipPath = insideProject(project.root, rel);
  const { entries, skipped } = workspaceEntries(h.dir, { 'session.yaml': yamlText });
  const warnings = [...skipped];
  const temps: string[] = [];
  try {
    entries.push(...(await checkpointCopies(project, h, doc, warnings, temps)));
    mkdirSync(dirname(zipPath), { recursive: true });
    const written = await writeZip(zipPath, entries);
    return { path: rel, ...written, warnings };
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }
}

function pendingDir(project: Project): string {
  return join(project.git.gitDir, 'specmap', 'pending-backups');
}

/** Marks a session's ZIP as owed; the marker goes only once the ZIP is complete. */
export function queueBackup(project: Project, id: string): void {
  mkdirSync(pendingDir(project), { recursive: true });
  writeFileSync(join(pendingDir(project), id), `${id}\n`);
}

export function hasPendingBackups(project: Project): boolean {
  const dir = pendingDir(project);
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** Writes every owed session ZIP (call with the project lock held). Returns the ZIPs written. */
export async function completePendingBackupsLocked(project: Project): Promise<SessionBackupResult[]> {
  if (!hasPendingBackups(project)) return [];
  const done: SessionBackupResult[] = [];
  for (const id of readdirSync(pendingDir(project))) {
    let h: SessionHandle | undefined;
    try {
      h = resolveSession(project, id);
    } catch {
      h = undefined;
    }
    if (h && h.id === id) done.push(await writeSessionBackup(project, h, loadSession(h)));
    // A session that no longer exists owes nothing.
    rmSync(join(pendingDir(project), id), { force: true });
  }
  return done;
}


/** `specmap complete-backups`: writes owed session ZIPs (the detached process SessionEnd starts). */
export async function completePendingBackups(opts: ProjectOptions): Promise<SessionBackupResult[]> {
  const project = await openProject(opts);
  if (!hasPendingBackups(project)) return [];
  return withProjectLock(project, () => completePendingBackupsLocked(project));
}
