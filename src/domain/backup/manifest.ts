import { existsSync, readFileSync } from 'node:fs';
import { localDate, localTime } from '../../shared/clock.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import type { ExportedArchive, ManifestFile } from './export.js';

/**
 * manifest.json of a daily or milestone backup as read back. The spec's fields (`date`, `timestamp`,
 * `items_backed_up`, `backup_path`) are all a Python SpecMap manifest has; specmap adds the archive's and every
 * file's hash.
 */
export interface BackupManifest {
  date?: string;
  name?: string;
  timestamp?: string;
  items_backed_up?: string[];
  backup_path?: string;
  runs?: number;
  /** SHA-256 of the whole ZIP; absent in manifests written before specmap recorded it. */
  archive_sha256?: string;
  archive_bytes?: number;
  files?: ManifestFile[];
}

/** What specmap writes for a daily backup (daily/<date>/manifest.json). */
export interface DailyManifest extends ExportedArchive {
  date: string;
  timestamp: string;
  /** Absent when doctor exported it again from the git copy (the items are in the commit message). */
  items_backed_up?: string[];
  backup_path: string;
  zip?: string;
  runs?: number;
  updated?: boolean;
  git: { ref: string; commit: string; tree?: string };
  recovered_by?: string;
}

/** What specmap writes for a milestone (milestones/<name>.manifest.json). */
export interface MilestoneManifest extends ExportedArchive {
  name: string;
  timestamp: string;
  backup_path?: string;
  git: { tag: string; commit: string; tree?: string };
  recovered_by?: string;
}

/**
 * What specmap writes beside a session ZIP (sessions/<id>-backup.manifest.json): the archive's SHA-256 and every
 * file's size, SHA-256 and mode, like a daily manifest. Beside the ZIP, not inside it: a ZIP cannot hold its own
 * hash, and a reader that trusts nothing in the archive reads the record from outside it.
 */
export interface SessionManifest extends ExportedArchive {
  session: string;
  timestamp: string;
  zip: string;
}

/** The manifest's `timestamp`: local date and time, no offset (as the Python SpecMap wrote it). */
export function manifestTimestamp(at: Date): string {
  return `${localDate(at)}T${localTime(at)}`;
}

/** The one writer of daily manifests; fields in this order, the archive's facts last. */
export function writeDailyManifest(path: string, m: DailyManifest): void {
  const { archive_sha256, archive_bytes, files, ...head } = m;
  writeFileAtomic(path, `${JSON.stringify({ ...head, archive_sha256, archive_bytes, files }, null, 2)}\n`);
}

/** The one writer of milestone manifests; fields in this order, the archive's facts last. */
export function writeMilestoneManifest(path: string, m: MilestoneManifest): void {
  const { archive_sha256, archive_bytes, files, ...head } = m;
  writeFileAtomic(path, `${JSON.stringify({ ...head, archive_sha256, archive_bytes, files }, null, 2)}\n`);
}

/** The one writer of session ZIP manifests; fields in this order, the archive's facts last. */
export function writeSessionManifest(path: string, m: SessionManifest): void {
  const { archive_sha256, archive_bytes, files, ...head } = m;
  writeFileAtomic(path, `${JSON.stringify({ ...head, archive_sha256, archive_bytes, files }, null, 2)}\n`);
}

export type ManifestRead = { manifest: BackupManifest; problem?: undefined } | { manifest?: undefined; problem: string };

const isString = (v: unknown) => typeof v === 'string';

/** Reads and checks a manifest; a missing or malformed one comes back as one sentence naming `rel`. */
export function readManifest(path: string, rel: string): ManifestRead {
  if (!existsSync(path)) return { problem: `${rel} is missing` };
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { problem: `${rel} is unreadable: ${(err as Error).message}` };
  }
  const bad = (what: string): ManifestRead => ({ problem: `${rel} is unreadable: ${what}` });
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return bad('not a JSON object');
  const o = m as Record<string, unknown>;
  if (o.archive_sha256 !== undefined && !(isString(o.archive_sha256) && /^[0-9a-f]{64}$/.test(o.archive_sha256 as string))) {
    return bad('archive_sha256 is not a SHA-256');
  }
  if (o.items_backed_up !== undefined && !(Array.isArray(o.items_backed_up) && o.items_backed_up.every(isString))) {
    return bad('items_backed_up is not a list of paths');
  }
  if (o.files !== undefined) {
    const ok = Array.isArray(o.files) && o.files.every((f) => {
      const e = f as Record<string, unknown> | null;
      return e !== null && typeof e === 'object' && isString(e.path) && typeof e.size === 'number' && isString(e.sha256)
        && (e.mode === undefined || isString(e.mode));
    });
    if (!ok) return bad('files is not a list of {path, size, sha256}');
  }
  return { manifest: o as BackupManifest };
}

/** How many times the day's backup ran before: 0 without a manifest, 1 for one that does not count its runs. */
export function priorRuns(path: string): number {
  if (!existsSync(path)) return 0;
  const read = readManifest(path, path);
  return typeof read.manifest?.runs === 'number' ? read.manifest.runs : 1;
}
