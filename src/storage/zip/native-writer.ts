import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { isQuotedPath, pathBytes } from '../../shared/path-text.js';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { ioError } from '../../shared/errors.js';

/** What the native writer takes: files on disk and bytes in memory (streams go to archiver). */
export type NativeSource =
  | { name: string; file: string | Buffer; mode?: number }
  | { name: string; data: Buffer | string; date?: Date; mode?: number };

/** Files up to this size are read and deflated in one piece; larger ones a chunk at a time. */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Classic ZIP limits (no ZIP64): the caller checks `fitsClassicZip` first. */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;

interface CentralRecord {
  name: Buffer;
  utf8: boolean;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  attrs: number;
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * The 26 bytes both headers share, from "version needed to extract" to "extra field length" (the ZIP format
 * repeats this block in the local header at offset 4 and in the central directory header at offset 6).
 */
function writeSharedFields(h: Buffer, at: number, r: CentralRecord): void {
  h.writeUInt16LE(20, at);
  h.writeUInt16LE(r.utf8 ? 0x0800 : 0, at + 2);
  h.writeUInt16LE(r.method, at + 4);
  h.writeUInt16LE(r.time, at + 6);
  h.writeUInt16LE(r.date, at + 8);
  h.writeUInt32LE(r.crc >>> 0, at + 10);
  h.writeUInt32LE(r.compressed, at + 14);
  h.writeUInt32LE(r.size, at + 18);
  h.writeUInt16LE(r.name.length, at + 22);
  h.writeUInt16LE(0, at + 24);
}

function localHeader(r: CentralRecord): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  writeSharedFields(h, 4, r);
  return Buffer.concat([h, r.name]);
}

function centralHeader(r: CentralRecord): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes carry the mode
  writeSharedFields(h, 6, r);
  h.writeUInt32LE(r.attrs >>> 0, 38);
  h.writeUInt32LE(r.offset, 42);
  return Buffer.concat([h, r.name]);
}

/** True when the archive needs no ZIP64 records: under 65,535 entries and 4 GiB, with room for deflate's overhead. */
export function fitsClassicZip(entries: number, totalBytes: number): boolean {
  return entries < MAX_ENTRIES && totalBytes * 1.01 + entries * 1024 < MAX_OFFSET;
}

/**
 * Writes a ZIP to the open file `fd` with synchronous reads and zlib calls. archiver's per-entry streams wait on
 * the thread pool several times per file, which made a 2,000-file session ZIP take six times as long as `zip -r`;
 * this does the same deflate (same zlib, same level) with none of that waiting. Large files are deflated a
 * megabyte at a time with sync flushes (a valid single deflate stream), so memory stays bounded.
 * The archive's SHA-256 is computed on the way out; it is undefined when a large file's header had to be patched
 * after its data (the caller then hashes the finished file).
 */
export function writeNativeZip(fd: number, dest: string, entries: NativeSource[], level: number): { entries: number; bytes: number; sha256?: string } {
  let pos = 0;
  const hash = createHash('sha256');
  let patched = false;
  const write = (buf: Buffer, at?: number) => {
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at === undefined ? pos + done : at + done);
    if (at === undefined) {
      pos += buf.length;
      hash.update(buf);
    } else patched = true;
  };
  const records: CentralRecord[] = [];
  for (const e of entries) {
    // A text-form name (fs/path-text.ts) goes in as its bytes: flagged UTF-8 when it is, raw bytes when not.
    const name = pathBytes(e.name);
    const utf8 = !isQuotedPath(e.name) && /[^\x20-\x7e]/.test(e.name);
    const isDir = e.name.endsWith('/');
    let mode = e.mode;
    let mtime = 'date' in e && e.date ? e.date : new Date();
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
    const rec: CentralRecord = {
      name, utf8, method: 0, time, date, crc: 0, compressed: 0, size, offset: pos,
      // A mode with its type bits (a symbolic link: 0o120777, data = the target) is stored as it is.
      attrs: isDir ? (((0o40000 | (mode ?? 0o755)) << 16) | 0x10) >>> 0
        : (((mode ?? 0) & 0o170000 ? mode! : 0o100000 | (mode ?? 0o644)) << 16) >>> 0,
    };
    if (data !== undefined) {
      rec.crc = crc32(data);
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
      write(localHeader(rec), headerAt);
    }
    records.push(rec);
  }
  const cdStart = pos;
  for (const r of records) write(centralHeader(r));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(records.length, 8);
  end.writeUInt16LE(records.length, 10);
  end.writeUInt32LE(pos - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  write(end);
  if (pos > MAX_OFFSET) throw ioError('write ZIP', dest, new Error('archive grew past 4 GiB'));
  return { entries: records.length, bytes: pos, sha256: patched ? undefined : hash.digest('hex') };
}
