import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { rcloneReason, runRclone, type Rclone } from './run.js';

/**
 * The rclone calls off-site backups make, each one process over a list of files, with the pure parsers of what
 * rclone prints (unit-tested on captured output). File lists go through `--files-from-raw` (one path a line,
 * taken as it is: no comments, no trimming, no globs); the paths are specmap's own backup names, which hold no
 * line breaks.
 */

/** `remote:path` + `a/b` → `remote:path/a/b` (`remote:` + `a` → `remote:a`; `/dir/` + `a` → `/dir/a`). */
export function remoteJoin(remote: string, rel: string): string {
  if (rel === '') return remote;
  return remote.endsWith(':') || remote.endsWith('/') ? `${remote}${rel}` : `${remote}/${rel}`;
}

export interface RemoteFile {
  /** Relative to the listed root, `/`-separated. */
  path: string;
  size: number;
}

/** Parses `rclone lsjson --files-only` output: the files with their sizes. */
export function parseLsjson(text: string): RemoteFile[] {
  let list: unknown;
  try {
    list = JSON.parse(text.trim() === '' ? '[]' : text);
  } catch (err) {
    throw new SpecmapError('RCLONE_FAILED', `rclone lsjson printed what is not JSON: ${(err as Error).message}`, { kind: 'rclone' });
  }
  if (!Array.isArray(list)) throw new SpecmapError('RCLONE_FAILED', 'rclone lsjson printed what is not a list', { kind: 'rclone' });
  const out: RemoteFile[] = [];
  for (const e of list as Record<string, unknown>[]) {
    if (e === null || typeof e !== 'object' || e.IsDir === true || typeof e.Path !== 'string' || typeof e.Size !== 'number') continue;
    out.push({ path: e.Path, size: e.Size });
  }
  return out;
}

/** `rclone hashsum` lines, `<hex>  <path>`: path → hash. Lines that are not a hash (UNSUPPORTED, ERROR) are left out. */
export function parseHashsum(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/**
 * `rclone check --combined -` lines: `= path` the same on both sides, `+ path` only in the source (missing on the
 * remote), `- path` only in the destination, `* path` different, `! path` an error reading or hashing it.
 */
export type CheckMark = '=' | '+' | '-' | '*' | '!';

export function parseCombined(text: string): { mark: CheckMark; path: string }[] {
  const out: { mark: CheckMark; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([=+\-*!]) (.+)$/.exec(line);
    if (m) out.push({ mark: m[1] as CheckMark, path: m[2]! });
  }
  return out;
}

/** True when rclone said it could compare sizes only (no hash both sides have: webdav, most HTTP stores). */
export function checkedSizesOnly(stderr: string): boolean {
  return /No common hash found|hashes could not be checked/.test(stderr);
}

function listFile(scratch: string, name: string, files: string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, files.map((f) => `${f}\n`).join(''));
  return path;
}

/**
 * Every file under `remote` that `filters` let through (rclone `--filter` rules, e.g. `+ /daily/*\/*`, `- **`),
 * with its size. A root that does not exist yet lists as empty.
 */
export async function listRemote(rc: Rclone, remote: string, filters: string[]): Promise<RemoteFile[]> {
  const args = ['lsjson', '-R', '--files-only', '--no-mimetype', '--no-modtime', remote, ...filters.flatMap((f) => ['--filter', f])];
  const r = await runRclone(rc, args, { okCodes: [3] });
  return r.code === 3 ? [] : parseLsjson(r.stdout);
}

export interface UploadOptions {
  /** Where the remote files this copy replaces are moved (never deleted): a folder on the same remote. */
  backupDir: string;
}

/**
 * Copies `files` (relative paths) from the folder `from` to `to`, every one of them transferred (`--ignore-times`:
 * the caller chose what to send), a replaced remote file moved into `backupDir` first.
 */
export async function uploadFiles(rc: Rclone, from: string, to: string, files: string[], scratch: string, opts: UploadOptions): Promise<void> {
  if (files.length === 0) return;
  const list = listFile(scratch, 'upload.list', files);
  await runRclone(rc, ['copy', '--files-from-raw', list, '--ignore-times', '--no-traverse', '--backup-dir', opts.backupDir, from, to]);
}

/** Copies `files` from `remote` into the local folder `into`, never overwriting what is there. */
export async function downloadFiles(rc: Rclone, remote: string, into: string, files: string[], scratch: string): Promise<void> {
  if (files.length === 0) return;
  const list = listFile(scratch, 'download.list', files);
  await runRclone(rc, ['copy', '--files-from-raw', list, '--ignore-existing', '--no-traverse', remote, into]);
}

/** The SHA-256 of each of `files` on `remote`, read by downloading them (most remotes cannot hash SHA-256 themselves). */
export async function remoteSha256(rc: Rclone, remote: string, files: string[], scratch: string): Promise<Map<string, string>> {
  if (files.length === 0) return new Map();
  const list = listFile(scratch, 'hash.list', files);
  const r = await runRclone(rc, ['hashsum', 'sha256', '--download', '--files-from-raw', list, remote], { okCodes: [1] });
  return parseHashsum(r.stdout);
}

export interface CheckOutcome {
  lines: { mark: CheckMark; path: string }[];
  /** rclone compared sizes only: the remote has no hash in common with the local files. */
  sizesOnly: boolean;
}

/** `rclone check --one-way`: each of `files` in the local folder `from` against `remote` (sizes, and hashes when both sides have one). */
export async function checkFiles(rc: Rclone, from: string, remote: string, files: string[], scratch: string): Promise<CheckOutcome> {
  if (files.length === 0) return { lines: [], sizesOnly: false };
  const list = listFile(scratch, 'check.list', files);
  const r = await runRclone(rc, ['check', '--one-way', '--files-from-raw', list, '--combined', '-', from, remote], { okCodes: [1, 3] });
  // 3: the remote root is not there at all, so every file is missing from it.
  if (r.code === 3) return { lines: files.map((path) => ({ mark: '+' as const, path })), sizesOnly: false };
  const lines = parseCombined(r.stdout);
  if (r.code === 1 && lines.every((l) => l.mark === '=')) {
    throw new SpecmapError('RCLONE_FAILED', `rclone check failed: ${rcloneReason(r.stderr) || 'exit status 1'}`, { kind: 'rclone', status: 1 });
  }
  return { lines, sizesOnly: checkedSizesOnly(r.stderr) };
}
