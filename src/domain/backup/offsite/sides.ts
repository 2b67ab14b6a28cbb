import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { now } from '../../../shared/clock.js';
import { settings } from '../../../shared/settings.js';
import { BACKUPS_DIR, abs } from '../../../shared/layout.js';
import { sha256File } from '../../../storage/fs/file-sha256.js';
import { scratchPath } from '../../../storage/git/temp-index.js';
import { downloadFiles, listRemote, type RemoteFile } from '../../../storage/rclone/commands.js';
import type { Rclone } from '../../../storage/rclone/run.js';
import { recordedHash } from '../archive-checks.js';
import { catalogBackups, type BackupKind } from '../catalog.js';
import { readManifest } from '../manifest.js';
import { withProjectLock, type Project } from '../../project/project.js';
import { settleLocked } from '../../project/settle.js';
import { LIST_FILTERS, backupFiles, backupKey, remoteBackups, type BackupFiles, type RemoteBackup } from './layout.js';

/** The rclone program of this process (SPECMAP_RCLONE, else `rclone` on PATH). */
export const rclone = (): Rclone => ({ bin: settings().rclone });

/** The name of one command's folder of files set aside (`replaced/<stamp>/` on a remote): its time, then its pid. */
export const asideStamp = (): string => `${now().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;

/**
 * A scratch folder for one off-site command in `<git dir>/specmap/` (`offsite.<pid>.<n>`): the snapshot of the local
 * backups and the records fetched from the remote. Removed when the command ends; one a killed command left is
 * removed by the next transaction (domain/project/leftovers.ts).
 */
export async function withScratch<T>(project: Project, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = scratchPath(project.git, 'offsite');
  mkdirSync(dir, { recursive: true });
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a record (a manifest, else a .sha256) says about a backup's ZIP. */
export interface BackupRecord {
  sha256?: string;
  /** A missing, unreadable or malformed record, one sentence. */
  problem?: string;
}

/** The recorded SHA-256 of a backup whose files lie under `root` in the backups layout. */
export function readRecord(root: string, files: BackupFiles, shownPrefix: string): BackupRecord {
  const manifestPath = join(root, ...files.manifest.split('/'));
  const read = existsSync(manifestPath) ? readManifest(manifestPath, `${shownPrefix}${files.manifest}`) : undefined;
  if (read?.problem) return { problem: read.problem };
  const checksum = files.checksum && existsSync(join(root, ...files.checksum.split('/'))) ? files.checksum : undefined;
  const r = recordedHash(root, { manifest: read ? files.manifest : undefined, checksum }, read?.manifest);
  if (r.problem) return { problem: `${shownPrefix}${r.where}: ${r.problem}` };
  if (!r.sha256) return { problem: read ? `${shownPrefix}${files.manifest} records no archive SHA-256` : `no record of the ZIP's SHA-256 (${files.manifest})` };
  return { sha256: r.sha256 };
}

/** One local backup, as a snapshot taken under the lock. */
export interface LocalBackup {
  kind: BackupKind;
  name: string;
  files: BackupFiles;
  /** Its files in the snapshot, relative (the ZIP, then the records that exist). */
  present: string[];
  zipBytes: number;
  record: BackupRecord;
  /** The snapshot's ZIP hashed against its record: undefined until `checkLocal` ran. */
  actual?: string;
}

export interface LocalSide {
  /** The snapshot folder, laid out as 04-agents/backups/. */
  root: string;
  backups: Map<string, LocalBackup>;
  /** Backups that are not ZIPs (Python SpecMap folder copies) or whose ZIP is gone: never sent, one sentence each. */
  notes: string[];
}

function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    // Another file system (a linked worktree's git dir elsewhere), or links not allowed: a copy.
    copyFileSync(from, to);
  }
}

/**
 * The local backups as they are at one instant: under the lock (a daily run or a milestone --force swaps files in
 * while we read otherwise), each ZIP with its records is hard-linked into `scratch/local/` (copied where it cannot
 * be); the upload and the hashing then read the snapshot without holding the lock.
 */
export async function snapshotLocal(project: Project, scratch: string): Promise<LocalSide> {
  const root = join(scratch, 'local');
  mkdirSync(root, { recursive: true });
  const backups = new Map<string, LocalBackup>();
  const notes: string[] = [];
  await withProjectLock(project, async () => {
    await settleLocked(project);
    for (const b of await catalogBackups(project)) {
      if (b.format === 'folder') {
        notes.push(`${b.zip}: plain folder copies (Python SpecMap), not a ZIP; not sent off-site`);
        continue;
      }
      if (!b.zipExists) continue;
      const files = backupFiles(b.kind, b.name);
      const present: string[] = [];
      for (const rel of [files.zip, ...files.records]) {
        const from = abs(project.root, `${BACKUPS_DIR}/${rel}`);
        if (!existsSync(from)) continue;
        linkOrCopy(from, join(root, ...rel.split('/')));
        present.push(rel);
      }
      backups.set(backupKey(b.kind, b.name), { kind: b.kind, name: b.name, files, present, zipBytes: b.bytes, record: readRecord(root, files, `${BACKUPS_DIR}/`) });
    }
  });
  return { root, backups, notes };
}

/** Hashes every snapshot ZIP that has a record (a damaged local ZIP must never replace a good remote copy). */
export async function checkLocal(local: LocalSide): Promise<void> {
  for (const b of local.backups.values()) {
    if (b.record.sha256) b.actual = await sha256File(join(local.root, ...b.files.zip.split('/')));
  }
}

export interface RemoteSide {
  remote: string;
  /** Where the remote's records were fetched, laid out as 04-agents/backups/. */
  root: string;
  backups: Map<string, RemoteBackup & { record: BackupRecord }>;
  files: RemoteFile[];
}

/** The remote's backups: one listing, then every record it holds fetched in one copy, then read. */
export async function readRemote(rc: Rclone, remote: string, scratch: string): Promise<RemoteSide> {
  const root = join(scratch, 'remote');
  mkdirSync(root, { recursive: true });
  const files = await listRemote(rc, remote, LIST_FILTERS);
  const found = remoteBackups(files);
  const records = [...found.values()].flatMap((b) => b.files.records.filter((r) => b.present.has(r)));
  await downloadFiles(rc, remote, root, records, scratch);
  const backups = new Map<string, RemoteBackup & { record: BackupRecord }>();
  for (const [key, b] of found) backups.set(key, { ...b, record: readRecord(root, b.files, remoteShown(remote)) });
  return { remote, root, backups, files };
}

/** How a remote file is named in messages: `<remote>/` before its path. */
export const remoteShown = (remote: string) => (remote.endsWith(':') || remote.endsWith('/') ? remote : `${remote}/`);
