import { createReadStream, readSync } from 'node:fs';
import { pathText } from '../../shared/path-text.js';
import { Readable, Transform } from 'node:stream';
import { SIG, U16_MAX, U32_MAX, ZIP64_EXTRA } from './format.js';
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';

/**
 * Reading a ZIP with synchronous positional reads: the central directory in one read, each entry's local header
 * and data in one or two more. yauzl did the same work through async reads and streams, waiting on the thread pool
 * several times per entry, which made verifying a 10,000-entry backup ten times slower than `unzip -t`.
 * Every failure here is a ZipFormatError; zip-reader.ts turns it into CORRUPT_DATA naming the archive.
 */
export class ZipFormatError extends Error {}

export interface CentralEntry {
  /** The name in text form (fs/path-text.ts), backslashes of DOS/Windows archives read as slashes. */
  name: string;
  /** The name's bytes (backslashes of DOS/Windows archives read as slashes). */
  raw: Buffer;
  /** The name's bytes exactly as the central directory holds them (what the local header must repeat). */
  stored: Buffer;
  /** "Version made by"'s host: 3 (Unix) and 19 (macOS) mean the external attributes carry a Unix mode. */
  host: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  externalAttributes: number;
  dosTime: number;
  dosDate: number;
}

export function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new ZipFormatError('unexpected end of file');
    got += n;
  }
  return buf;
}

export const u64 = (b: Buffer, at: number) => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('size out of range');
  return Number(v);
};

/** Every entry of the central directory, in order (names are checked by entry-check.ts, not here). */
export function readCentralDirectory(fd: number, fileSize: number): CentralEntry[] {
  return readZipDirectory(fd, fileSize).entries;
}

/** The central directory's entries and where it starts (no entry's data may reach past that offset). */
export function readZipDirectory(fd: number, fileSize: number): { entries: CentralEntry[]; cdOffset: number } {
  if (fileSize < 22) throw new ZipFormatError('end of central directory record signature not found');
  const tailLength = Math.min(fileSize, 22 + U16_MAX);
  const tail = readAt(fd, tailLength, fileSize - tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === SIG.end && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('end of central directory record signature not found');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locatorAt = fileSize - tailLength + eocd - 20;
    if (locatorAt < 0) throw new ZipFormatError('ZIP64 locator missing');
    const locator = readAt(fd, 20, locatorAt);
    if (locator.readUInt32LE(0) !== SIG.zip64Locator) throw new ZipFormatError('ZIP64 locator missing');
    const z = readAt(fd, 56, u64(locator, 8));
    if (z.readUInt32LE(0) !== SIG.zip64End) throw new ZipFormatError('ZIP64 end of central directory missing');
    count = u64(z, 32);
    cdSize = u64(z, 40);
    cdOffset = u64(z, 48);
  }
  if (cdOffset + cdSize > fileSize) throw new ZipFormatError('central directory runs past the end of the file');
  const cd = readAt(fd, cdSize, cdOffset);
  const out: CentralEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG.central) throw new ZipFormatError('invalid central directory file header signature');
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError('central directory entry runs past its end');
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    // The name's bytes are kept as they are (a name that is not UTF-8 gets its git-quoted text form, see
    // fs/path-text.ts); the safety checks read them byte for byte, so no decoding can hide a '..'.
    // Backslashes are separators only in archives made elsewhere (DOS, Windows); on Unix (3) and macOS (19) they
    // are part of a name.
    const host = cd.readUInt8(p + 5);
    const unix = host === 3 || host === 19;
    const raw = Buffer.from(unix ? nameBytes : nameBytes.map((b) => (b === 0x5c ? 0x2f : b)));
    const e: CentralEntry = {
      name: pathText(raw),
      raw,
      stored: Buffer.from(nameBytes),
      host,
      flags,
      method: cd.readUInt16LE(p + 10),
      dosTime: cd.readUInt16LE(p + 12),
      dosDate: cd.readUInt16LE(p + 14),
      crc32: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      externalAttributes: cd.readUInt32LE(p + 38),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    };
    if (e.uncompressedSize === U32_MAX || e.compressedSize === U32_MAX || e.localHeaderOffset === U32_MAX) {
      // ZIP64 extended information: only the fields that overflowed are present, in this order.
      let x = p + 46 + nameLength;
      const extraEnd = x + extraLength;
      while (x + 4 <= extraEnd) {
        const id = cd.readUInt16LE(x);
        const size = cd.readUInt16LE(x + 2);
        if (id === ZIP64_EXTRA) {
          let f = x + 4;
          if (e.uncompressedSize === U32_MAX) { e.uncompressedSize = u64(cd, f); f += 8; }
          if (e.compressedSize === U32_MAX) { e.compressedSize = u64(cd, f); f += 8; }
          if (e.localHeaderOffset === U32_MAX) { e.localHeaderOffset = u64(cd, f); }
          break;
        }
        x += 4 + size;
      }
    }
    out.push(e);
    p = end;
  }
  return { entries: out, cdOffset };
}

/** A small entry's bytes (its data at `start`, see entry-check.ts), inflated in one call, capped at and checked against its size and CRC. */
export function readEntrySync(fd: number, e: CentralEntry, start: number): Buffer {
  const raw = e.compressedSize === 0 ? Buffer.alloc(0) : readAt(fd, e.compressedSize, start);
  let out: Buffer;
  try {
    out = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
  } catch (err) {
    throw new ZipFormatError(`${e.name}: ${(err as Error).message}`);
  }
  if (out.length !== e.uncompressedSize) throw new ZipFormatError(`${e.name}: expected ${e.uncompressedSize} bytes, found ${out.length}`);
  if ((crc32(out) >>> 0) !== (e.crc32 >>> 0)) throw new ZipFormatError(`${e.name}: CRC mismatch`);
  return out;
}

/** A large entry as a stream; it errors with a ZipFormatError on a size or CRC mismatch at the end. */
export function entryReadStream(zipPath: string, e: CentralEntry, start: number): Readable {
  const raw: Readable = e.compressedSize === 0 ? Readable.from([]) : createReadStream(zipPath, { start, end: start + e.compressedSize - 1 });
  const data: Readable = e.method === 0 ? raw : raw.pipe(createInflateRaw());
  let crc = 0;
  let size = 0;
  const checked = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > e.uncompressedSize) done(new ZipFormatError(`${e.name}: more data than the recorded ${e.uncompressedSize} bytes`));
      else done(null, chunk);
    },
    flush(done) {
      if (size !== e.uncompressedSize) done(new ZipFormatError(`${e.name}: expected ${e.uncompressedSize} bytes, found ${size}`));
      else if ((crc >>> 0) !== (e.crc32 >>> 0)) done(new ZipFormatError(`${e.name}: CRC mismatch`));
      else done();
    },
  });
  const fail = (err: Error) => checked.destroy(err instanceof ZipFormatError ? err : new ZipFormatError(`${e.name}: ${err.message}`));
  raw.on('error', fail);
  if (data !== raw) data.on('error', fail);
  return data.pipe(checked);
}
