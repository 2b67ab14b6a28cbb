import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fsyncSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { tempPathFor } from '../fs/atomic-write.js';
import { sha256File } from '../fs/file-sha256.js';
import { fitsClassicZip, writeNativeZip, type NativeSource } from './native-writer.js';

/** One ZIP entry: a file on disk (read a chunk at a time when large), or bytes/a stream we already have. */
export type ZipSource =
  | { name: string; file: string | Buffer; mode?: number }
  | { name: string; data: Buffer | string; date?: Date; mode?: number }
  | { name: string; stream: Readable; date?: Date; mode?: number };

export interface ZipWriteResult {
  entries: number;
  bytes: number;
  /** SHA-256 (hex) of the whole archive as written. */
  sha256: string;
}

/**
 * Writes `entries` into a ZIP at `dest`. The archive is written under a temp name beside `dest`, synced, and
 * renamed into place, so `dest` is either the previous file or a complete new archive, never a half-written one.
 * Files and bytes go through the native writer (zip-native.ts); streams, or archives that would need ZIP64, go
 * through archiver.
 */
export async function writeZip(dest: string, entries: Iterable<ZipSource>, level = 6): Promise<ZipWriteResult> {
  const list = [...entries];
  if (list.every((e) => !('stream' in e))) {
    let total = 0;
    for (const e of list) {
      if ('file' in e) {
        try {
          total += statSync(e.file).size;
        } catch (err) {
          throw ioError('read', String(e.file), err);
        }
      } else if ('data' in e) total += typeof e.data === 'string' ? Buffer.byteLength(e.data) : e.data.length;
    }
    if (fitsClassicZip(list.length, total)) return writeNative(dest, list as NativeSource[], level);
  }
  return writeWithArchiver(dest, list, level);
}

async function writeNative(dest: string, entries: NativeSource[], level: number): Promise<ZipWriteResult> {
  const tmp = tempPathFor(dest);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const result = writeNativeZip(fd, dest, entries, level);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    const sha256 = result.sha256 ?? (await sha256File(tmp));
    renameSync(tmp, dest);
    return { entries: result.entries, bytes: result.bytes, sha256 };
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw isSpecmapError(err) ? err : ioError('write ZIP', dest, err);
  }
}

async function writeWithArchiver(dest: string, entries: ZipSource[], level: number): Promise<ZipWriteResult> {
  // Loaded here, not at the top: archiver costs ~65 ms to import and is only needed for streams and ZIP64.
  const { ZipArchive } = await import('archiver');
  const tmp = tempPathFor(dest);
  const zip = new ZipArchive({ zlib: { level } });
  const out = createWriteStream(tmp, { flags: 'wx' });
  const hash = createHash('sha256');
  let count = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      out.on('close', resolve);
      out.on('error', reject);
      zip.on('error', reject);
      zip.on('warning', reject);
      zip.pipe(out);
      zip.on('data', (chunk: Buffer) => hash.update(chunk));
      for (const e of entries) {
        count += 1;
        if ('file' in e) zip.append(createReadStream(e.file), { name: e.name, mode: e.mode });
        else if ('data' in e) zip.append(e.data, { name: e.name, date: e.date, mode: e.mode });
        else zip.append(e.stream, { name: e.name, date: e.date, mode: e.mode });
      }
      zip.finalize().catch(reject);
    });
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, dest);
    return { entries: count, bytes: zip.pointer(), sha256: hash.digest('hex') };
  } catch (err) {
    zip.abort();
    out.destroy();
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw isSpecmapError(err) ? err : ioError('write ZIP', dest, err);
  }
}
