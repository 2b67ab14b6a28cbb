import { buildFile } from '../fs/replace-dir.js';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { sha256File } from '../fs/file-sha256.js';
import { writeNativeZip, type NativeSource, type WrittenFile, type ZipProgress } from './native-writer.js';

export type { WrittenFile, ZipProgress };

/** One ZIP entry: a file on disk (read a chunk at a time when large), or bytes we already have. */
export type ZipSource = NativeSource;

export interface ZipWriteResult {
  entries: number;
  bytes: number;
  /** SHA-256 (hex) of the whole archive as written. */
  sha256: string;
  /** Every file entry (not folders) with its size, SHA-256 and mode, for a manifest. */
  files: WrittenFile[];
}

/**
 * Writes `entries` into a ZIP at `dest` (ZIP64 when it passes the classic limits). The archive is written under a
 * temp name beside `dest`, synced, and renamed into place, so `dest` is either the previous file or a complete new
 * archive, never a half-written one.
 */
export async function writeZip(dest: string, entries: Iterable<ZipSource>, level = 6, onProgress?: ZipProgress): Promise<ZipWriteResult> {
  return buildFile(dest, async (tmp) => {
    const fd = openSync(tmp, 'wx', 0o644);
    let result: ReturnType<typeof writeNativeZip>;
    try {
      result = writeNativeZip(fd, [...entries], level, onProgress);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { entries: result.entries, bytes: result.bytes, sha256: result.sha256 ?? (await sha256File(tmp)), files: result.files };
  });
}
