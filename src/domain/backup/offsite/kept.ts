import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { downloadFiles, listRemote } from '../../../storage/rclone/commands.js';
import type { Rclone } from '../../../storage/rclone/run.js';
import { readChecksumFile } from '../checksum.js';
import { readManifest } from '../manifest.js';
import { remoteBackups, type BackupFiles } from './layout.js';
import { readRecord, remoteShown, type RemoteSide } from './sides.js';

/**
 * The copy of a backup that fetch and verify vouch for, looked for beyond its usual place when need be.
 *
 * A push that replaces a remote backup cannot swap its ZIP and records in one step: rclone moves each remote file
 * it replaces to `replaced/<stamp>/` just before it uploads the new one, and push sends the ZIPs, then the records.
 * A push killed in between leaves the usual place with a pair that does not match (the old record with the new ZIP,
 * or with no ZIP at all, or the new ZIP with no record), while the old ZIP, and from the records step on its records
 * too, sit whole in `replaced/<stamp>/`. No order of uploads avoids that window (two files never change in one
 * step, and specmap never deletes or renames on a remote, so a copy uploaded under another name could only be
 * copied into place, with the same window, and would stay there forever), so the readers look instead: when the
 * usual place holds no ZIP matching its record,
 *
 * - a record there still names a version: any ZIP kept in `replaced/*\/` (newest first) whose SHA-256 is that one;
 * - no record there can be read (the records step was cut short): the newest `replaced/<stamp>/` whose ZIP matches
 *   its own record, the version that push was replacing (an older one: said so).
 *
 * A ZIP's records come from the usual place when they name its SHA-256 (or name none), else from its own folder;
 * a record naming another version is never taken. The next push from a machine that has the backup puts a whole
 * copy back in the usual place.
 */

/** What puts a whole copy back in the usual place (--rehash: the mismatched ZIP there may have the size of the one sent). */
export const REPAIR = '`backup offsite push --rehash` from a machine that has the backup puts it back in place';

/** rclone filter rules for the backups' files kept in replaced/<stamp>/ (the layout LIST_FILTERS lists, one level down). */
const REPLACED_FILTERS = ['+ /replaced/*/sessions/*', '+ /replaced/*/daily/*/*', '+ /replaced/*/milestones/*', '- **'];
const KEPT = /^replaced\/([0-9A-Za-z][0-9A-Za-z._-]*)\/(.+)$/;

/** A copy of one backup on the remote, with the files to fetch it by. */
export interface RemoteCopy {
  /** '' for the usual place, else `replaced/<stamp>/`. */
  dir: string;
  sha256: string;
  /** Remote paths (relative to its root, also their place under the remote side's scratch root) → layout paths; records, then the ZIP. */
  files: { from: string; to: string }[];
  /** No record in the usual place names it: the version an interrupted push was replacing. */
  older: boolean;
}

/** The backup's files in one folder of the remote: `dir` ('' or `replaced/<stamp>/`) and which layout paths it holds. */
interface Place {
  dir: string;
  present: Set<string>;
}

/**
 * The SHA-256 a record file names: undefined when it names none (a manifest written before specmap recorded it),
 * null when it cannot be read.
 */
function named(root: string, rel: string, files: BackupFiles): string | undefined | null {
  const path = join(root, ...rel.split('/'));
  if (!existsSync(path)) return null;
  if (rel === files.manifest) {
    const r = readManifest(path, rel);
    return r.problem ? null : r.manifest?.archive_sha256;
  }
  const c = readChecksumFile(path);
  return c.problem ? null : c.sha256;
}

/** The records to fetch with a ZIP of SHA-256 `sha`: each from the first place holding one that names it (or names none). */
function recordsFor(root: string, files: BackupFiles, sha: string, places: Place[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const rel of files.records) {
    for (const p of places) {
      if (!p.present.has(rel)) continue;
      const says = named(join(root, ...p.dir.split('/').filter(Boolean)), rel, files);
      if (says === sha || says === undefined) {
        out.push({ from: `${p.dir}${rel}`, to: rel });
        break;
      }
    }
  }
  return out;
}

/** The copy in the usual place, when its ZIP's SHA-256 (`actual`) is the one its record names. */
export function usualCopy(there: RemoteSide, key: string, actual: string | undefined): RemoteCopy | undefined {
  const r = there.backups.get(key);
  if (!r || !r.record.sha256 || actual !== r.record.sha256) return undefined;
  const files = [...recordsFor(there.root, r.files, actual, [{ dir: '', present: r.present }]), { from: r.files.zip, to: r.files.zip }];
  return { dir: '', sha256: actual, files, older: false };
}

export interface KeptSearch {
  /** The whole copy found, if any. */
  copy?: RemoteCopy;
  /** How many ZIPs of the backup replaced/ holds (all looked at, none fitting, when `copy` is undefined). */
  looked: number;
}

/**
 * For each of `keys` (remote backups whose usual place holds no ZIP matching its record), the whole copy kept in
 * replaced/*\/, as the module comment says. One listing, one download of the records kept there (into the remote
 * side's scratch root, at their remote paths), then `hash` for the candidate ZIPs (remote paths → SHA-256: fetch
 * downloads them beside the records, verify lets rclone hash them).
 */
export async function findKept(rc: Rclone, there: RemoteSide, scratch: string, keys: string[], hash: (zips: string[]) => Promise<Map<string, string>>): Promise<Map<string, KeptSearch>> {
  const out = new Map<string, KeptSearch>();
  if (keys.length === 0) return out;
  const byStamp = new Map<string, { path: string; size: number }[]>();
  for (const f of await listRemote(rc, there.remote, REPLACED_FILTERS)) {
    const m = KEPT.exec(f.path);
    if (!m) continue;
    byStamp.set(m[1]!, [...(byStamp.get(m[1]!) ?? []), { path: m[2]!, size: f.size }]);
  }
  const wanted = new Set(keys);
  const places = new Map<string, Place[]>();
  // Newest first: the stamps are ISO times (then a pid).
  for (const stamp of [...byStamp.keys()].sort().reverse()) {
    for (const [key, b] of remoteBackups(byStamp.get(stamp)!)) {
      if (wanted.has(key)) places.set(key, [...(places.get(key) ?? []), { dir: `replaced/${stamp}/`, present: b.present }]);
    }
  }
  const layout = (key: string) => there.backups.get(key)!.files;
  const records = [...places].flatMap(([key, ps]) => ps.flatMap((p) => layout(key).records.filter((r) => p.present.has(r)).map((r) => `${p.dir}${r}`)));
  await downloadFiles(rc, there.remote, there.root, records, scratch);
  const ownRecord = (key: string, p: Place) => readRecord(join(there.root, ...p.dir.split('/').filter(Boolean)), layout(key), `${remoteShown(there.remote)}${p.dir}`).sha256;
  const candidates = new Map<string, { place: Place; target: string | undefined }[]>();
  for (const key of keys) {
    const target = there.backups.get(key)!.record.sha256;
    const withZip = (places.get(key) ?? []).filter((p) => p.present.has(layout(key).zip));
    // With a record in the usual place, every kept ZIP may be the one it names; without, only a folder's own pair.
    candidates.set(key, target ? withZip.map((place) => ({ place, target })) : withZip.map((place) => ({ place, target: ownRecord(key, place) })).filter((c) => c.target));
  }
  const hashes = await hash([...candidates].flatMap(([key, cs]) => cs.map((c) => `${c.place.dir}${layout(key).zip}`)));
  for (const key of keys) {
    const cs = candidates.get(key)!;
    const files = layout(key);
    const usual = there.backups.get(key)!;
    const found = cs.find((c) => hashes.get(`${c.place.dir}${files.zip}`) === c.target);
    if (!found) {
      out.set(key, { looked: (places.get(key) ?? []).filter((p) => p.present.has(files.zip)).length });
      continue;
    }
    const sha = found.target!;
    const older = !usual.record.sha256;
    const from = older ? [found.place] : [{ dir: '', present: usual.present }, found.place];
    const copy: RemoteCopy = { dir: found.place.dir, sha256: sha, older, files: [...recordsFor(there.root, files, sha, from), { from: `${found.place.dir}${files.zip}`, to: files.zip }] };
    out.set(key, { copy, looked: cs.length });
  }
  return out;
}
