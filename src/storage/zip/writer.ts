import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { tempPathFor } from '../fs/atomic-write.js';
import { sha256File } from '../fs/file-sha256.js';
import { writeNativeZip, type NativeSource } from './native-writer.js';

/** One ZIP entry: a file on disk (read a chunk at a time when large), or bytes we already have. */
export type ZipSource = NativeSource;

export interface ZipWriteResult {
  entries: number;
  bytes: number;
  /** SHA-256 (hex) of the whole archive as written. */
  sha256: string;
}

/**
 * Writes `entries` into a ZIP at `dest` (ZIP64 when it passes the classic limits). The archive is written under a
 * temp name beside `dest`, synced, and renamed into place, so `dest` is either the previous file or a complete new
 * archive, never a half-written one.
 */
export async function writeZip(dest: string, entries: Iterable<ZipSource>, level = 6): Promise<ZipWriteResult> {
  const tmp = tempPathFor(dest);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const result = writeNativeZip(fd, [...entries], level);
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
