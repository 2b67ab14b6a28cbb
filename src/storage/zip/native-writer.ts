import { nodeCrypto } from '../../shared/node-crypto.js';
import { closeSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { now } from '../../shared/clock.js';
import { ioError } from '../../shared/errors.js';
import { isQuotedPath, pathBytes } from '../../shared/path-text.js';
import { centralHeader, endRecords, localHeader, needsZip64Sizes, type EntryRecord } from './records.js';

/** What the writer takes: files on disk (read a chunk at a time when large) and bytes in memory. */
export type NativeSource =
  | { name: string; file: string | Buffer; mode?: number }
  | { name: string; data: Buffer | string; date?: Date; mode?: number };

/** A file entry as written: its name, size, the SHA-256 of its bytes and its mode (type bits included). */
export interface WrittenFile {
  name: string;
  size: number;
  sha256: string;
  mode: number;
}

/** How far a ZIP is: entries written of all, and the bytes read of the entries' total. */
export type ZipProgress = (entries: number, totalEntries: number, bytes: number, totalBytes: number) => void;

/** Files up to this size are read and deflated in one piece; larger ones a chunk at a time. */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;
const CHUNK = 1024 * 1024;

function sourceSize(e: NativeSource): number {
  if ('data' in e) return typeof e.data === 'string' ? Buffer.byteLength(e.data) : e.data.length;
  try {
    return statSync(e.file).size;
  } catch {
    return 0;
  }
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Writes a ZIP to the open file `fd` with synchronous reads and zlib calls. archiver's per-entry streams wait on
 * the thread pool several times per file, which made a 2,000-file session ZIP take six times as long as `zip -r`;
 * this does the same deflate (same zlib, same level) with none of that waiting. Large files are deflated a
 * megabyte at a time with sync flushes (a valid single deflate stream), so memory stays bounded. Past the classic
 * limits (65,535 entries, 4 GiB sizes or offsets) it writes the ZIP64 records (records.ts; decision 0005).
 * The archive's SHA-256 is computed on the way out; it is undefined when a large file's header had to be patched
 * after its data (the caller then hashes the finished file).
 */
export function writeNativeZip(fd: number, entries: NativeSource[], level: number, onProgress?: ZipProgress): { entries: number; bytes: number; sha256?: string; files: WrittenFile[] } {
  // The total is stat'ed up front only for someone told how far it is.
  const totalBytes = onProgress ? entries.reduce((n, e) => n + sourceSize(e), 0) : 0;
  let bytesIn = 0;
  const files: WrittenFile[] = [];
  let pos = 0;
  const hash = nodeCrypto().createHash('sha256');
  let patched = false;
  const write = (buf: Buffer, at?: number) => {
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at === undefined ? pos + done : at + done);
    if (at === undefined) {
      pos += buf.length;
      hash.update(buf);
    } else patched = true;
  };
  const records: EntryRecord[] = [];
  // One clock reading for entries that bring no date: the same for all, and the clock is not read per entry.
  const written = now();
  for (const e of entries) {
    // A text-form name (fs/path-text.ts) goes in as its bytes: flagged UTF-8 when it is, raw bytes when not.
    const name = pathBytes(e.name);
    const utf8 = !isQuotedPath(e.name) && /[^\x20-\x7e]/.test(e.name);
    const isDir = e.name.endsWith('/');
    let mode = e.mode;
    let mtime = 'date' in e && e.date ? e.date : written;
    let data: Buffer | undefined;
    let source: number | undefined;
    let size = 0;
    if ('file' in e) {
      try {
        source = openSync(e.file, 'r');
        const st = fstatSync(source);
        size = st.size;
        mtime = st.mtime;
        mode ??= st.mode & 0o7777;
        if (size <= WHOLE_FILE_MAX) {
          data = Buffer.allocUnsafe(size);
          let got = 0;
          while (got < size) {
            const n = readSync(source, data, got, size - got, got);
            if (n === 0) break;
            got += n;
          }
          data = data.subarray(0, got);
          size = got;
          closeSync(source);
          source = undefined;
        }
      } catch (err) {
        if (source !== undefined) closeSync(source);
        throw ioError('read', String(e.file), err);
      }
    } else {
      data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
      size = data.length;
    }
    const { time, date } = dosTime(mtime);
    const rec: EntryRecord = {
      name, utf8, method: 0, time, date, crc: 0, compressed: 0, size, offset: pos, zip64Local: needsZip64Sizes(size),
      // A mode with its type bits (a symbolic link: 0o120777, data = the target) is stored as it is.
      attrs: isDir ? (((0o40000 | (mode ?? 0o755)) << 16) | 0x10) >>> 0
        : (((mode ?? 0) & 0o170000 ? mode! : 0o100000 | (mode ?? 0o644)) << 16) >>> 0,
    };
    const fileHash = nodeCrypto().createHash('sha256');
    if (data !== undefined) {
      rec.crc = crc32(data);
      fileHash.update(data);
      const packed = isDir || data.length === 0 ? data : deflateRawSync(data, { level });
      // Like zip(1): keep whichever is smaller, so incompressible files are stored.
      const body = packed.length < data.length ? packed : data;
      rec.method = body === data ? 0 : 8;
      rec.compressed = body.length;
      write(localHeader(rec));
      write(body);
    } else {
      // A large file: header first, patched once the sizes and CRC are known.
      const headerAt = pos;
      rec.method = 8;
      write(localHeader(rec));
      const buf = Buffer.allocUnsafe(CHUNK);
      let crc = 0;
      let read = 0;
      let compressed = 0;
      try {
        for (;;) {
          const n = readSync(source!, buf, 0, CHUNK, read);
          if (n === 0) break;
          const chunk = buf.subarray(0, n);
          crc = crc32(chunk, crc);
          fileHash.update(chunk);
          const out = deflateRawSync(chunk, { level, finishFlush: zlibConstants.Z_SYNC_FLUSH });
          write(out);
          compressed += out.length;
          read += n;
        }
        const tail = deflateRawSync(Buffer.alloc(0), { level });
        write(tail);
        compressed += tail.length;
      } catch (err) {
        throw ioError('read', (e as { file: string }).file, err);
      } finally {
        closeSync(source!);
      }
      Object.assign(rec, { crc, compressed, size: read });
      // A file that grew past 4 GiB while it was read has no room for ZIP64 sizes in its header: localHeader refuses.
      try {
        write(localHeader(rec), headerAt);
      } catch (err) {
        throw ioError('read', (e as { file: string }).file, err);
      }
    }
    records.push(rec);
    if (!isDir) files.push({ name: e.name, size: rec.size, sha256: fileHash.digest('hex'), mode: rec.attrs >>> 16 });
    bytesIn += rec.size;
    onProgress?.(records.length, entries.length, bytesIn, Math.max(totalBytes, bytesIn));
  }
  const cdStart = pos;
  for (const r of records) write(centralHeader(r));
  write(endRecords(records.length, cdStart, pos));
  return { entries: records.length, bytes: pos, sha256: patched ? undefined : hash.digest('hex'), files };
}
