import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { SpecmapError } from '../../../shared/errors.js';
import { isSafeName } from '../../../shared/ids.js';
import { BACKUPS_DIR, abs, sessionBackupChecksumRel, sessionBackupManifestRel, sessionBackupRel } from '../../../shared/layout.js';
import { isInside } from '../../../storage/fs/project-path.js';
import type { RemoteFile } from '../../../storage/rclone/commands.js';
import type { BackupKind } from '../catalog.js';
import { checkDate, checkMilestoneName, dailyManifest, dailyZip, milestoneManifest, milestoneZip } from '../layout.js';
import { CONFIG_FILE, projectConfig } from '../../project/config.js';
import type { Project } from '../../project/project.js';

/**
 * The off-site copy is laid out as 04-agents/backups/ is: `sessions/<id>-backup.zip` (+ `.manifest.json`,
 * `.zip.sha256`), `daily/<date>/backup.zip` + `manifest.json`, `milestones/<name>.zip` + `.manifest.json`, under the
 * remote path the user names. Files a push replaced go to `replaced/<time>-<pid>/` there, in the same layout; nothing
 * is ever deleted on the remote.
 */

/** Where `restore --from` and `backup offsite pull` move a local backup whose ZIP failed its record: `<time>-<pid>/` in it, laid out as 04-agents/backups/. */
export const DAMAGED_DIR = `${BACKUPS_DIR}/damaged`;

const inBackups = (projectRel: string) => projectRel.slice(BACKUPS_DIR.length + 1);

export interface BackupFiles {
  /** The ZIP, relative to the backups folder (and to the remote root). */
  zip: string;
  /** Its records (manifest, then the session ZIP's .sha256), relative the same way; the manifest is written last. */
  records: string[];
  manifest: string;
  checksum?: string;
}

/** Where one backup's ZIP and records live, relative to 04-agents/backups/ and to the off-site root alike. */
export function backupFiles(kind: BackupKind, name: string): BackupFiles {
  if (kind === 'session') {
    const manifest = inBackups(sessionBackupManifestRel(name));
    const checksum = inBackups(sessionBackupChecksumRel(name));
    return { zip: inBackups(sessionBackupRel(name)), manifest, checksum, records: [checksum, manifest] };
  }
  if (kind === 'daily') {
    const manifest = inBackups(dailyManifest(name));
    return { zip: inBackups(dailyZip(name)), manifest, records: [manifest] };
  }
  const manifest = inBackups(milestoneManifest(name));
  return { zip: inBackups(milestoneZip(name)), manifest, records: [manifest] };
}

/** rclone filter rules that list the backups' files and nothing else (not `replaced/`, not whatever else lives there). */
export const LIST_FILTERS = ['+ /sessions/*', '+ /daily/*/*', '+ /milestones/*', '- **'];

/** One backup seen on the remote: which of its files are there, and the ZIP's size. */
export interface RemoteBackup {
  kind: BackupKind;
  name: string;
  files: BackupFiles;
  /** Relative paths of its files the remote holds. */
  present: Set<string>;
  zipBytes?: number;
}

const safeMilestone = (name: string) => {
  try {
    return checkMilestoneName(name) === name;
  } catch {
    return false;
  }
};
const safeDate = (date: string) => {
  try {
    return checkDate(date) === date;
  } catch {
    return false;
  }
};

/** The backup a remote file belongs to, or undefined for a file that is none of specmap's (it is left alone). */
function classify(path: string): { kind: BackupKind; name: string } | undefined {
  let m = /^sessions\/(.+?)-backup\.(?:zip|manifest\.json|zip\.sha256)$/.exec(path);
  if (m) return isSafeName(m[1]!) ? { kind: 'session', name: m[1]! } : undefined;
  m = /^daily\/([^/]+)\/(?:backup\.zip|manifest\.json)$/.exec(path);
  if (m) return safeDate(m[1]!) ? { kind: 'daily', name: m[1]! } : undefined;
  m = /^milestones\/(.+?)(?:\.manifest\.json|\.zip)$/.exec(path);
  if (m) return safeMilestone(m[1]!) ? { kind: 'milestone', name: m[1]! } : undefined;
  return undefined;
}

export const backupKey = (kind: BackupKind, name: string) => `${kind}/${name}`;

/** The backups a remote listing holds (names checked as specmap checks its own: nothing from a remote picks a path). */
export function remoteBackups(files: RemoteFile[]): Map<string, RemoteBackup> {
  const out = new Map<string, RemoteBackup>();
  for (const f of files) {
    const c = classify(f.path);
    if (!c) continue;
    const layout = backupFiles(c.kind, c.name);
    if (f.path !== layout.zip && !layout.records.includes(f.path)) continue;
    const key = backupKey(c.kind, c.name);
    const b = out.get(key) ?? { kind: c.kind, name: c.name, files: layout, present: new Set<string>() };
    b.present.add(f.path);
    if (f.path === layout.zip) b.zipBytes = f.size;
    out.set(key, b);
  }
  return out;
}

/** rclone's rule: `name:` or `:backend…:` before any `/` is a remote; anything else is a local folder. */
const REMOTE_RE = /^:?[A-Za-z0-9_.][A-Za-z0-9_. -]*(?:,[^:/]*)?:/;

/**
 * The off-site location as rclone takes it: `given` (the user's, relative local folders against `base`), else
 * `backup.offsite` in 04-agents/config.yaml (relative to the project). USAGE when neither names one; INVALID_INPUT
 * for one that could be taken for an option, holds a control character, or is a local folder inside
 * 04-agents/backups/ itself.
 */
export function resolveRemote(project: Project, given: string | undefined, base: string): string {
  const fromConfig = given === undefined;
  const text = given ?? projectConfig(project).offsite;
  if (text === undefined) {
    throw new SpecmapError('USAGE', `name the off-site copy (an rclone remote such as mycloud:specmap/project, or a folder), or set backup: {offsite: ...} in ${CONFIG_FILE}`, { kind: 'no-remote' });
  }
  const where = fromConfig ? ` (backup.offsite in ${CONFIG_FILE})` : '';
  if (text.trim() === '') throw new SpecmapError('INVALID_INPUT', `the off-site remote is empty${where}`, { kind: 'remote' });
  if (text.startsWith('-')) throw new SpecmapError('INVALID_INPUT', `invalid off-site remote ${JSON.stringify(text.slice(0, 60))}${where}: it would be taken for an option`, { kind: 'remote' });
  if (/[\x00-\x1f\x7f]/.test(text)) throw new SpecmapError('INVALID_INPUT', `invalid off-site remote${where}: it holds a control character`, { kind: 'remote' });
  if (fromConfig && text.startsWith(':')) {
    // config.yaml is a file of the working tree: an agent can write it, and a clone or a pull can bring it. An inline
    // connection string names any server, so only the remotes of the person's own rclone config are taken from it.
    throw new SpecmapError('INVALID_INPUT', `backup.offsite in ${CONFIG_FILE} is an inline rclone connection string (${JSON.stringify(text.slice(0, 40))}): name a remote of your rclone config instead (rclone config), or pass this one on the command line`, { kind: 'remote' });
  }
  if (REMOTE_RE.test(text)) return text;
  const folder = resolve(fromConfig ? project.root : base, text);
  const backups = abs(realpathSync(project.root), BACKUPS_DIR);
  let real = folder;
  try { real = realpathSync(folder); } catch { /* not there yet */ }
  if (isInside(backups, real) || isInside(abs(project.root, BACKUPS_DIR), folder)) {
    throw new SpecmapError('INVALID_INPUT', `the off-site copy cannot live inside ${BACKUPS_DIR}/ (${text})${where}: name a folder elsewhere or an rclone remote`, { kind: 'remote' });
  }
  return folder;
}
