import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecmapError, type ErrorCode } from '../../../shared/errors.js';
import { BACKUPS_DIR } from '../../../shared/layout.js';
import { resolveId } from '../../../shared/resolve-id.js';
import { renameStepped } from '../../../storage/fs/atomic-write.js';
import { sha256File } from '../../../storage/fs/file-sha256.js';
import { insideProject } from '../../../storage/fs/project-path.js';
import { placeFile } from '../../../storage/fs/replace-dir.js';
import { downloadFiles } from '../../../storage/rclone/commands.js';
import { catalogBackups, type BackupEntry, type BackupKind } from '../catalog.js';
import { withProjectLock, type Project } from '../../project/project.js';
import { REPAIR, findKept, usualCopy, type RemoteCopy } from './kept.js';
import { DAMAGED_DIR, backupKey, type BackupFiles, type RemoteBackup } from './layout.js';
import { asideStamp, rclone, readRecord, readRemote, remoteShown, withScratch, type BackupRecord, type RemoteSide } from './sides.js';

export interface FetchedBackup {
  kind: BackupKind;
  name: string;
  /** `present`: the local ZIP is there (and matches its record), nothing was fetched; `skipped`: see `reason`. */
  action: 'fetched' | 'present' | 'skipped';
  /**
   * Why a backup was skipped. For a fetched one, null, or what was out of the ordinary: the damaged ZIP here was
   * moved aside (and where to), the copy came from replaced/ on the remote (and why).
   */
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
const short = (sha: string) => `${sha.slice(0, 16)}…`;

/** The one backup `select` names, resolved against what is here and what the remote has. */
function pick(select: FetchSelection, here: BackupEntry[], there: RemoteSide): string {
  if (select.kind !== 'session') return select.name;
  const names = [...here.filter((b) => b.kind === 'session' && b.zipExists).map((b) => b.name), ...[...there.backups.values()].filter((b) => b.kind === 'session').map((b) => b.name)];
  return resolveId(select.name, names, { what: 'session backup', where: ` here or on ${there.remote}`, notFound: 'BACKUP_NOT_FOUND' });
}

/** One remote backup to fetch, on its way. */
interface Todo {
  r: RemoteBackup & { record: BackupRecord };
  key: string;
  /** The ZIP here fails its record: it (with its records) is moved aside, and the remote's copy takes its place. */
  damagedHere?: { recorded: string; actual: string };
  /** What is wrong with the remote's usual place, when it holds no ZIP matching its record. */
  why?: string;
  copy?: RemoteCopy;
}

const localRecord = (project: Project, files: BackupFiles) => readRecord(join(project.root, BACKUPS_DIR), files, `${BACKUPS_DIR}/`);

/** The ZIP here against its record: what each says when they differ, undefined when they agree or there is no record. */
async function damageHere(project: Project, files: BackupFiles): Promise<Todo['damagedHere']> {
  const recorded = localRecord(project, files).sha256;
  if (!recorded || !existsSync(diskPath(project, files.zip))) return undefined;
  const actual = await sha256File(diskPath(project, files.zip));
  return actual === recorded ? undefined : { recorded, actual };
}

/** Why a copy of SHA-256 `sha` is not fetched when a record here names another version; undefined when none does. */
function clash(project: Project, files: BackupFiles, sha: string): string | undefined {
  const mine = localRecord(project, files).sha256;
  if (!mine || mine === sha) return undefined;
  return `${local(files.manifest)} here records another version (SHA-256 ${short(mine)}, the remote's ${short(sha)}): move it away to fetch the remote's`;
}

async function hashIfThere(path: string): Promise<string | undefined> {
  return existsSync(path) ? sha256File(path) : undefined;
}

/**
 * Fetches from `remote` the backups whose ZIP is missing here (all of them, or the one `select` names), into their
 * usual places under 04-agents/backups/. Everything is downloaded into a scratch folder first, each ZIP hashed
 * against the remote's record (a mismatch is not fetched), then, under the lock, the records that are missing
 * here and then the ZIP are renamed into place (a ZIP never appears without its record). A backup whose local
 * record names another SHA-256 is left alone (CONFLICT): the local one is another version. Nothing that is here is
 * lost, and nothing is deleted on the remote.
 *
 * A ZIP here that fails its own record is not trusted: it counts as missing, the remote's copy is fetched, and the
 * damaged ZIP with its records is moved (under the lock, after hashing it again) to
 * `04-agents/backups/damaged/<time>-<pid>/`, in the backups layout, never deleted; the fetched backup's `reason`
 * says where. A ZIP here with no record to check it by is kept as it is.
 *
 * When the remote's usual place holds no ZIP matching its record (a push interrupted while it replaced the backup),
 * a whole copy kept in `replaced/*\/` is fetched instead (kept.ts says which), and `reason` says so.
 */
export async function fetchOffsite(project: Project, remote: string, select?: FetchSelection): Promise<FetchOutcome & { name?: string }> {
  const rc = rclone();
  return withScratch(project, async (scratch) => {
    const there = await readRemote(rc, remote, scratch);
    const here = await catalogBackups(project);
    const name = select ? pick(select, here, there) : undefined;
    const shown = remoteShown(remote);
    const backups: FetchedBackup[] = [];
    const todo: Todo[] = [];
    const skip = (b: { kind: BackupKind; name: string }, code: ErrorCode, reason: string) => backups.push({ kind: b.kind, name: b.name, action: 'skipped', reason, files: [], code });
    const present = (b: { kind: BackupKind; name: string }) => backups.push({ kind: b.kind, name: b.name, action: 'present', reason: null, files: [] });
    for (const r of there.backups.values()) {
      if (select && (r.kind !== select.kind || r.name !== name)) continue;
      if (here.some((b) => b.kind === r.kind && b.format === 'folder' && b.folder === `${BACKUPS_DIR}/${dirname(r.files.zip)}`)) {
        skip(r, 'CONFLICT', `${BACKUPS_DIR}/${dirname(r.files.zip)}/ here holds plain folder copies (a Python SpecMap daily backup): left as it is`);
        continue;
      }
      const mine = here.find((b) => b.kind === r.kind && b.name === r.name && b.format === 'zip');
      const damagedHere = mine?.zipExists ? await damageHere(project, r.files) : undefined;
      if (mine?.zipExists && !damagedHere) {
        present(r);
        continue;
      }
      const refused = !damagedHere && r.record.sha256 ? clash(project, r.files, r.record.sha256) : undefined;
      if (refused) skip(r, 'CONFLICT', refused);
      else todo.push({ r, key: backupKey(r.kind, r.name), damagedHere });
    }

    // The usual place first: each ZIP that has a record, downloaded beside the records readRemote fetched.
    await downloadFiles(rc, remote, there.root, todo.filter((t) => t.r.present.has(t.r.files.zip) && t.r.record.sha256).map((t) => t.r.files.zip), scratch);
    for (const t of todo) {
      const { zip } = t.r.files;
      if (!t.r.present.has(zip)) t.why = `${shown}${zip} is not there, only its records (an interrupted push?)`;
      else if (!t.r.record.sha256) t.why = `${t.r.record.problem ?? 'no record'}: the off-site ZIP cannot be checked`;
      else {
        const actual = await hashIfThere(join(there.root, ...zip.split('/')));
        t.copy = usualCopy(there, t.key, actual);
        if (!t.copy) t.why = actual === undefined ? `${shown}${zip} could not be downloaded` : `${shown}${zip} does not match its record (SHA-256 ${short(actual)}, recorded ${short(t.r.record.sha256)})`;
      }
    }
    // Then a whole copy an interrupted push left in replaced/.
    const lost = todo.filter((t) => !t.copy);
    const kept = await findKept(rc, there, scratch, lost.map((t) => t.key), async (zips) => {
      await downloadFiles(rc, remote, there.root, zips, scratch);
      const out = new Map<string, string>();
      for (const z of zips) {
        const h = await hashIfThere(join(there.root, ...z.split('/')));
        if (h) out.set(z, h);
      }
      return out;
    });
    const notes = new Map<string, string>();
    for (const t of lost) {
      const k = kept.get(t.key)!;
      if (!k.copy) {
        const none = k.looked > 0 ? `, and no ZIP kept in ${shown}replaced/ matches it either` : '';
        const mine = t.damagedHere ? `${local(t.r.files.zip)} here fails its record (left as it is), and ` : '';
        skip(t.r, 'CORRUPT_DATA', `${mine}${t.why}${none}: not fetched${t.r.present.has(t.r.files.zip) ? '' : ' (push again from a machine that has it)'}`);
        continue;
      }
      const refused = !t.damagedHere && k.copy.older ? clash(project, t.r.files, k.copy.sha256) : undefined;
      if (refused) {
        skip(t.r, 'CONFLICT', refused);
        continue;
      }
      t.copy = k.copy;
      const which = k.copy.older ? 'the version an interrupted push was replacing, ' : '';
      notes.set(t.key, `${t.why}; fetched instead the whole copy kept in ${shown}${k.copy.dir} (${which}SHA-256 ${short(k.copy.sha256)}): ${REPAIR}`);
    }

    const ready = todo.filter((t) => t.copy);
    const aside = `${DAMAGED_DIR}/${asideStamp()}`;
    await withProjectLock(project, async () => {
      for (const t of ready) {
        const copy = t.copy!;
        const { zip } = t.r.files;
        let note = notes.get(t.key) ?? null;
        if (existsSync(diskPath(project, zip))) {
          // Written or repaired by another command since it was hashed: only the same damage is moved aside.
          const now = t.damagedHere ? await damageHere(project, t.r.files) : undefined;
          if (!now || now.actual !== t.damagedHere!.actual || now.recorded !== t.damagedHere!.recorded) {
            present(t.r);
            continue;
          }
          const moved = [zip, ...t.r.files.records].filter((f) => existsSync(diskPath(project, f)));
          // Checked before the first rename: neither place may lead out of the project through a symlink.
          for (const f of moved) {
            insideProject(project.root, local(f));
            insideProject(project.root, `${aside}/${f}`);
          }
          // The ZIP first: a kill after it leaves records without a ZIP here, which the next fetch completes.
          for (const f of moved) {
            const dest = insideProject(project.root, `${aside}/${f}`);
            mkdirSync(dirname(dest), { recursive: true });
            renameStepped(diskPath(project, f), dest);
          }
          const other = now.recorded === copy.sha256 ? '' : ` (it recorded another version, SHA-256 ${short(now.recorded)})`;
          const said = `${local(zip)} here failed its record (SHA-256 ${short(now.actual)}, recorded ${short(now.recorded)}): moved with its records to ${aside}/${other}, the remote's copy fetched`;
          note = note ? `${said}; ${note}` : said;
        } else if (t.damagedHere) {
          // The damaged ZIP went away meanwhile: what is here now is checked as for any missing ZIP.
          const refused = clash(project, t.r.files, copy.sha256);
          if (refused) {
            skip(t.r, 'CONFLICT', refused);
            continue;
          }
        }
        // Checked before the first write: 04-agents/backups must not lead out of the project through a symlink.
        for (const f of copy.files) insideProject(project.root, local(f.to));
        const written: string[] = [];
        for (const f of copy.files) {
          const dest = diskPath(project, f.to);
          if (f.to !== zip && existsSync(dest)) continue;
          mkdirSync(dirname(dest), { recursive: true });
          await placeFile(join(there.root, ...f.from.split('/')), dest, { shown: local(f.to) });
          written.push(local(f.to));
        }
        backups.push({ kind: t.r.kind, name: t.r.name, action: 'fetched', reason: note, files: written });
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
