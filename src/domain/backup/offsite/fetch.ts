import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecmapError, type ErrorCode } from '../../../shared/errors.js';
import { BACKUPS_DIR } from '../../../shared/layout.js';
import { resolveId } from '../../../shared/resolve-id.js';
import { sha256File } from '../../../storage/fs/file-sha256.js';
import { insideProject } from '../../../storage/fs/project-path.js';
import { placeFile } from '../../../storage/fs/replace-dir.js';
import { downloadFiles } from '../../../storage/rclone/commands.js';
import { catalogBackups, type BackupEntry, type BackupKind } from '../catalog.js';
import { withProjectLock, type Project } from '../../project/project.js';
import { rclone, readRecord, readRemote, remoteShown, withScratch, type RemoteSide } from './sides.js';

export interface FetchedBackup {
  kind: BackupKind;
  name: string;
  /** `present`: the local ZIP is there, nothing was fetched; `skipped`: see `reason`. */
  action: 'fetched' | 'present' | 'skipped';
  reason: string | null;
  /** Files written, project-relative (04-agents/backups/…). */
  files: string[];
  /** Why a skipped backup was not fetched, as an error code (CORRUPT_DATA: it failed its SHA-256; CONFLICT: another version is here). */
  code?: ErrorCode;
}

export interface FetchOutcome {
  remote: string;
  /** False when a remote backup failed its check or clashed with a local record, and was not fetched. */
  ok: boolean;
  backups: FetchedBackup[];
}

export interface FetchSelection {
  kind: BackupKind;
  /** Exact for a date or a milestone; a session id may be a unique prefix (among the local and the remote ones). */
  name: string;
}

const local = (rel: string) => `${BACKUPS_DIR}/${rel}`;
const diskPath = (project: Project, rel: string) => join(project.root, ...local(rel).split('/'));

/** The one backup `select` names, resolved against what is here and what the remote has. */
function pick(select: FetchSelection, here: BackupEntry[], there: RemoteSide): string {
  if (select.kind !== 'session') return select.name;
  const names = [...here.filter((b) => b.kind === 'session' && b.zipExists).map((b) => b.name), ...[...there.backups.values()].filter((b) => b.kind === 'session').map((b) => b.name)];
  return resolveId(select.name, names, { what: 'session backup', where: ` here or on ${there.remote}`, notFound: 'BACKUP_NOT_FOUND' });
}

/**
 * Fetches from `remote` the backups whose ZIP is missing here (all of them, or the one `select` names), into their
 * usual places under 04-agents/backups/. Everything is downloaded into a scratch folder first, each ZIP hashed
 * against the remote's record (a mismatch is not fetched), then, under the lock, the records that are missing
 * here and then the ZIP are renamed into place (a ZIP never appears without its record). A backup whose local
 * record names another SHA-256 is left alone (CONFLICT): the local one is another version. Nothing that is here is
 * ever replaced, and nothing is deleted on the remote.
 */
export async function fetchOffsite(project: Project, remote: string, select?: FetchSelection): Promise<FetchOutcome & { name?: string }> {
  const rc = rclone();
  return withScratch(project, async (scratch) => {
    const there = await readRemote(rc, remote, scratch);
    const here = await catalogBackups(project);
    const name = select ? pick(select, here, there) : undefined;
    const shown = remoteShown(remote);
    const backups: FetchedBackup[] = [];
    const wanted: { kind: BackupKind; name: string; sha256: string; files: string[] }[] = [];
    const skip = (b: { kind: BackupKind; name: string }, code: ErrorCode, reason: string) => backups.push({ kind: b.kind, name: b.name, action: 'skipped', reason, files: [], code });
    for (const r of there.backups.values()) {
      if (select && (r.kind !== select.kind || r.name !== name)) continue;
      const mine = here.find((b) => b.kind === r.kind && b.name === r.name && b.format === 'zip');
      if (here.some((b) => b.kind === r.kind && b.format === 'folder' && b.folder === `${BACKUPS_DIR}/${dirname(r.files.zip)}`)) {
        skip(r, 'CONFLICT', `${BACKUPS_DIR}/${dirname(r.files.zip)}/ here holds plain folder copies (a Python SpecMap daily backup): left as it is`);
        continue;
      }
      if (mine?.zipExists) {
        backups.push({ kind: r.kind, name: r.name, action: 'present', reason: null, files: [] });
        continue;
      }
      if (!r.present.has(r.files.zip)) {
        skip(r, 'CORRUPT_DATA', `${shown}${r.files.zip} is not there, only its records (an interrupted push? push again from a machine that has it)`);
        continue;
      }
      if (!r.record.sha256) {
        skip(r, 'CORRUPT_DATA', `${r.record.problem ?? 'no record'}: the off-site ZIP cannot be checked, so it is not fetched`);
        continue;
      }
      const record = readRecord(join(project.root, BACKUPS_DIR), r.files, `${BACKUPS_DIR}/`);
      if (record.sha256 && record.sha256 !== r.record.sha256) {
        skip(r, 'CONFLICT', `${local(r.files.manifest)} here records another version (SHA-256 ${record.sha256.slice(0, 16)}…, the remote's ${r.record.sha256.slice(0, 16)}…): move it away to fetch the remote's`);
        continue;
      }
      const files = [...r.files.records.filter((f) => r.present.has(f) && !existsSync(diskPath(project, f))), r.files.zip];
      wanted.push({ kind: r.kind, name: r.name, sha256: r.record.sha256, files });
    }
    const into = join(scratch, 'fetch');
    mkdirSync(into, { recursive: true });
    await downloadFiles(rc, remote, into, wanted.flatMap((w) => w.files), scratch);
    const verified: typeof wanted = [];
    for (const w of wanted) {
      const zip = w.files[w.files.length - 1]!;
      const got = join(into, ...zip.split('/'));
      const actual = existsSync(got) ? await sha256File(got) : undefined;
      if (actual === w.sha256) verified.push(w);
      else skip(w, 'CORRUPT_DATA', actual === undefined ? `${shown}${zip} could not be downloaded` : `${shown}${zip} does not match its record (SHA-256 ${actual.slice(0, 16)}…, recorded ${w.sha256.slice(0, 16)}…): not fetched`);
    }
    await withProjectLock(project, async () => {
      for (const w of verified) {
        const zip = w.files[w.files.length - 1]!;
        if (existsSync(diskPath(project, zip))) {
          backups.push({ kind: w.kind, name: w.name, action: 'present', reason: null, files: [] });
          continue;
        }
        // Checked before the first write: 04-agents/backups must not lead out of the project through a symlink.
        for (const f of w.files) insideProject(project.root, local(f));
        const written: string[] = [];
        for (const f of w.files) {
          const dest = diskPath(project, f);
          if (f !== zip && existsSync(dest)) continue;
          mkdirSync(dirname(dest), { recursive: true });
          await placeFile(join(into, ...f.split('/')), dest, { shown: local(f) });
          written.push(local(f));
        }
        backups.push({ kind: w.kind, name: w.name, action: 'fetched', reason: null, files: written });
      }
    });
    const order = { session: 0, daily: 1, milestone: 2 };
    backups.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
    return { remote, ok: backups.every((b) => b.action !== 'skipped'), backups, name };
  });
}

/** The error a restore from the remote stops with when the backup it needs could not be fetched. */
export function fetchRefusal(b: FetchedBackup): SpecmapError {
  return new SpecmapError(b.code ?? 'CORRUPT_DATA', `cannot fetch ${b.kind} backup ${b.name}: ${b.reason}`, { kind: 'offsite' });
}
