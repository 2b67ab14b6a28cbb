import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { dailyManifest, dailyRef, dailyZip, milestoneManifest, milestoneTag, milestoneZip } from './layout.js';
import { listBackupFolder } from './folder.js';
import { readManifest } from './manifest.js';
import { DAILY_BACKUPS_DIR, MILESTONE_BACKUPS_DIR, SESSION_BACKUPS_DIR, abs, sessionBackupChecksumRel, sessionBackupManifestRel } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { listRefs } from '../../storage/git/refs.js';

export type BackupKind = 'session' | 'daily' | 'milestone';

export interface BackupEntry {
  kind: BackupKind;
  /**
   * Session id, date, or milestone name. A Python SpecMap daily folder is named by its date too, or by its folder
   * name (daily-backup-<date>) when specmap has a daily backup of the same date.
   */
  name: string;
  /** 'zip' for specmap's backups; 'folder' for plain folder copies written by the Python SpecMap (daily only). */
  format: 'zip' | 'folder';
  /**
   * Project-relative ZIP path (it may be missing when only the git copy is left); for a 'folder' backup, its folder
   * with a trailing slash.
   */
  zip: string;
  zipExists: boolean;
  /** Daily backups: the folder that holds the backup (prune deletes it as a whole). */
  folder?: string;
  manifest?: string;
  /** Session ZIPs: the .sha256 file that records the archive's SHA-256 (beside the manifest, for `sha256sum -c`). */
  checksum?: string;
  /** The git copy: refs/backups/daily/<date> or refs/tags/milestones/<name>. */
  ref?: string;
  refExists: boolean;
  bytes: number;
  files?: number;
  /** ISO time the backup was written (manifest timestamp, else the ZIP's mtime). */
  written?: string;
}

function manifestFacts(path: string): { files?: number; written?: string } {
  const { manifest } = readManifest(path, path);
  return { files: manifest?.files?.length, written: typeof manifest?.timestamp === 'string' ? manifest.timestamp : undefined };
}

const LEGACY_DAILY = /^daily-backup-(\d{4}-\d{2}-\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A daily folder holding plain copies rather than specmap's backup.zip (a real folder, never a link). */
function isFolderBackup(dir: string, legacyName: boolean): boolean {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return false;
  if (legacyName) return true;
  const names = readdirSync(dir).filter((n) => !n.startsWith('.'));
  return !names.includes('backup.zip') && names.some((n) => n !== 'manifest.json');
}

function folderEntry(project: Project, folder: string, name: string): BackupEntry {
  const dir = abs(project.root, folder);
  const manifest = `${folder}/manifest.json`;
  let files: number | undefined;
  let bytes = 0;
  try {
    const listing = listBackupFolder(dir, folder).files;
    files = listing.length;
    bytes = listing.reduce((n, f) => n + f.size, 0);
  } catch {
    // An unsafe or unreadable folder still lists; verify and restore say what is wrong with it.
  }
  return {
    kind: 'daily', name, format: 'folder', zip: `${folder}/`, zipExists: true, folder, manifest, refExists: false, bytes, files,
    written: manifestFacts(abs(project.root, manifest)).written ?? statSync(dir).mtime.toISOString(),
  };
}

function zipFacts(path: string): { exists: boolean; bytes: number; mtime?: string } {
  if (!existsSync(path)) return { exists: false, bytes: 0 };
  const st = statSync(path);
  return { exists: true, bytes: st.size, mtime: st.mtime.toISOString() };
}

const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : []);

/** Every backup of the project, from the folders and from the git refs, so one whose ZIP was lost still shows. */
export async function catalogBackups(project: Project): Promise<BackupEntry[]> {
  const out: BackupEntry[] = [];
  for (const name of list(abs(project.root, SESSION_BACKUPS_DIR))) {
    const m = /^(.+)-backup\.zip$/.exec(name);
    if (!m) continue;
    const zip = `${SESSION_BACKUPS_DIR}/${name}`;
    const z = zipFacts(abs(project.root, zip));
    // Session ZIPs written before specmap recorded a manifest have none; they verify by their entries' CRCs.
    const manifestRel = sessionBackupManifestRel(m[1]!);
    const manifest = existsSync(abs(project.root, manifestRel)) ? manifestRel : undefined;
    const facts = manifest ? manifestFacts(abs(project.root, manifestRel)) : {};
    out.push({
      kind: 'session', name: m[1]!, format: 'zip', zip, zipExists: z.exists, manifest, checksum: sessionBackupChecksumRel(m[1]!), refExists: false,
      bytes: z.bytes, files: facts.files, written: facts.written ?? z.mtime,
    });
  }

  const dailyRefs = new Set((await listRefs(project.git, 'refs/backups/daily/')).map((r) => r.ref.slice('refs/backups/daily/'.length)));
  const dailyNames = list(abs(project.root, DAILY_BACKUPS_DIR));
  const dates = new Set([...dailyNames.filter((d) => DATE.test(d)), ...dailyRefs]);
  const daily: BackupEntry[] = [];
  for (const date of dates) {
    const folder = `${DAILY_BACKUPS_DIR}/${date}`;
    if (!dailyRefs.has(date) && isFolderBackup(abs(project.root, folder), false)) {
      daily.push(folderEntry(project, folder, date));
      continue;
    }
    const z = zipFacts(abs(project.root, dailyZip(date)));
    const facts = manifestFacts(abs(project.root, dailyManifest(date)));
    daily.push({
      kind: 'daily', name: date, format: 'zip', zip: dailyZip(date), zipExists: z.exists, folder, manifest: dailyManifest(date),
      ref: dailyRef(date), refExists: dailyRefs.has(date), bytes: z.bytes, files: facts.files, written: facts.written ?? z.mtime,
    });
  }
  for (const n of dailyNames) {
    const date = LEGACY_DAILY.exec(n)?.[1];
    const folder = `${DAILY_BACKUPS_DIR}/${n}`;
    if (date && isFolderBackup(abs(project.root, folder), true)) daily.push(folderEntry(project, folder, dates.has(date) ? n : date));
  }
  out.push(...daily.sort((a, b) => a.name.localeCompare(b.name)));

  const tags = new Set((await listRefs(project.git, 'refs/tags/milestones/')).map((r) => r.ref.slice('refs/tags/milestones/'.length)));
  const names = new Set([
    ...list(abs(project.root, MILESTONE_BACKUPS_DIR)).filter((n) => n.endsWith('.zip')).map((n) => n.slice(0, -4)),
    ...tags,
  ]);
  for (const name of [...names].sort()) {
    const z = zipFacts(abs(project.root, milestoneZip(name)));
    const facts = manifestFacts(abs(project.root, milestoneManifest(name)));
    out.push({
      kind: 'milestone', name, format: 'zip', zip: milestoneZip(name), zipExists: z.exists, manifest: milestoneManifest(name),
      ref: `refs/tags/${milestoneTag(name)}`, refExists: tags.has(name), bytes: z.bytes, files: facts.files,
      written: facts.written ?? z.mtime,
    });
  }
  return out;
}
