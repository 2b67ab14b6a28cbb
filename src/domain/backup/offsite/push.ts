import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killPoint } from '../../../shared/kill-point.js';
import { checkFiles, remoteJoin, remoteSha256, uploadFiles } from '../../../storage/rclone/commands.js';
import type { BackupKind } from '../catalog.js';
import type { Project } from '../../project/project.js';
import { asideStamp, checkLocal, rclone, readRemote, snapshotLocal, withScratch, type LocalBackup, type RemoteSide } from './sides.js';
import { checkProblems, type OffsiteProblem } from './check.js';

export interface PushedBackup {
  kind: BackupKind;
  name: string;
  action: 'uploaded' | 'already-there' | 'skipped';
  /** Why it was skipped; null otherwise. */
  reason: string | null;
  /** Files written to the remote, relative to its root (an `already-there` backup may still get a missing record). */
  files: string[];
  sha256: string | null;
  bytes: number;
}

export interface PushOutcome {
  remote: string;
  ok: boolean;
  backups: PushedBackup[];
  /** Where the remote files this push replaced were moved (never deleted); null when none was. */
  replacedDir: string | null;
  replaced: string[];
  check: { files: number; sizesOnly: boolean; problems: OffsiteProblem[] };
  notes: string[];
}

const same = (a: string, b: string) => existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** The files of one local backup that the remote lacks (or holds another version of), its ZIP first. */
function toSend(b: LocalBackup, local: string, remote: RemoteSide, damaged: Set<string>): { files: string[]; fresh: boolean } {
  const r = remote.backups.get(`${b.kind}/${b.name}`);
  if (!r || r.record.sha256 !== b.record.sha256 || r.zipBytes !== b.zipBytes || !r.present.has(b.files.zip) || damaged.has(b.files.zip)) return { files: b.present, fresh: true };
  // The ZIP is there: a record the remote lacks, or holds in other bytes, is sent again (it is small).
  const records = b.present.filter((f) => f !== b.files.zip && !same(join(local, ...f.split('/')), join(remote.root, ...f.split('/'))));
  return { files: records, fresh: false };
}

export interface PushOptions {
  /** Download and hash every remote ZIP first; one that fails its record is sent again (the damaged one kept in replaced/). */
  rehash?: boolean;
}

/** The remote ZIPs whose bytes no longer match their record (downloaded and hashed). */
async function damagedOnRemote(there: RemoteSide, scratch: string): Promise<Set<string>> {
  const zips = [...there.backups.values()].filter((b) => b.present.has(b.files.zip) && b.record.sha256);
  const hashes = await remoteSha256(rclone(), there.remote, zips.map((b) => b.files.zip), scratch);
  return new Set(zips.filter((b) => hashes.get(b.files.zip) !== b.record.sha256).map((b) => b.files.zip));
}

/**
 * Sends the local backups (session, daily and milestone ZIPs with their manifests and checksums) to `remote`,
 * skipping each the remote already has: its record names the same SHA-256 and its ZIP has the same size. Each ZIP
 * is hashed against its record first; a damaged one is never sent. ZIPs go first, their records after them, so a
 * new record on the remote always describes a ZIP that is there whole. A remote file replaced (another version of
 * the same day's backup) is moved to `replaced/<time>-<pid>/` on the remote by rclone just before the new one is
 * uploaded, never deleted. A push killed while it replaces a backup therefore leaves its usual place with a pair
 * that does not match (the old record with the new ZIP or with none), the old ZIP (and its records, once their
 * turn came) whole in `replaced/<time>-<pid>/`: fetch and verify look there (kept.ts says why no upload order can
 * avoid it), and the next push, sending the backup again, repairs it. Then `rclone check --one-way` compares what
 * was sent with what the remote holds. With `rehash`, every remote ZIP is downloaded and hashed first, and one that
 * fails its record is sent again (also the way to repair a mismatched pair whose ZIP has the size of the local one).
 * Locks only while it takes the snapshot.
 */
export async function pushOffsite(project: Project, remote: string, opts: PushOptions = {}): Promise<PushOutcome> {
  const rc = rclone();
  return withScratch(project, async (scratch) => {
    const local = await snapshotLocal(project, scratch);
    await checkLocal(local);
    const there = await readRemote(rc, remote, scratch);
    const damagedThere = opts.rehash ? await damagedOnRemote(there, scratch) : new Set<string>();
    const backups: PushedBackup[] = [];
    const zips: string[] = [];
    const records: string[] = [];
    const replaced: string[] = [];
    const checked: string[] = [];
    let damaged = false;
    for (const b of local.backups.values()) {
      const base = { kind: b.kind, name: b.name, sha256: b.record.sha256 ?? null, bytes: b.zipBytes };
      if (!b.record.sha256) {
        backups.push({ ...base, action: 'skipped', reason: `${b.record.problem}: the remote copy could not be checked, so it is not sent`, files: [] });
        continue;
      }
      if (b.actual !== b.record.sha256) {
        damaged = true;
        backups.push({
          ...base, action: 'skipped', files: [],
          reason: `its ZIP does not match its record (SHA-256 ${b.actual?.slice(0, 16)}…, recorded ${b.record.sha256.slice(0, 16)}…): not sent; see specmap backup verify`,
        });
        continue;
      }
      const send = toSend(b, local.root, there, damagedThere);
      const r = there.backups.get(`${b.kind}/${b.name}`);
      for (const f of send.files) {
        (f === b.files.zip ? zips : records).push(f);
        if (r?.present.has(f)) replaced.push(f);
      }
      checked.push(...b.present);
      backups.push({ ...base, action: send.fresh ? 'uploaded' : 'already-there', reason: null, files: send.files });
    }
    const stamp = asideStamp();
    const replacedDir = replaced.length > 0 ? `replaced/${stamp}` : null;
    const backupDir = remoteJoin(remote, `replaced/${stamp}`);
    await uploadFiles(rc, local.root, remote, zips, scratch, { backupDir });
    killPoint('offsite:zips-sent');
    await uploadFiles(rc, local.root, remote, records, scratch, { backupDir });
    const check = await checkFiles(rc, local.root, remote, checked, scratch);
    const problems = checkProblems(check.lines);
    return {
      remote, ok: problems.length === 0 && !damaged, backups, replacedDir, replaced,
      check: { files: checked.length, sizesOnly: check.sizesOnly, problems }, notes: local.notes,
    };
  });
}
