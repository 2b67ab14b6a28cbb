/**
 * The byte layout of the ZIP records the writer emits (APPNOTE 6.3), as pure functions of the values they carry,
 * so the ZIP64 cases (sizes and offsets past 4 GiB, more than 65,534 entries) can be tested without writing
 * gigabytes. A classic field that overflows holds 0xFFFFFFFF (0xFFFF for counts) and the real value moves to a
 * ZIP64 record, as the format says.
 */
import { SIG, U16_MAX, U32_MAX, ZIP64_EXTRA } from './format.js';

/** What both headers of one entry record. Sizes and offsets are plain numbers (exact up to 2^53). */
export interface EntryRecord {
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
  /**
   * The local header carries a ZIP64 extra field with both sizes. Decided before the entry's data is written (a
   * large file's header is rewritten in place once its sizes are known, so its length cannot change).
   */
  zip64Local: boolean;
}

/** "Version needed to extract": 2.0 for deflate, 4.5 for ZIP64. */
const V20 = 20;
const V45 = 45;

const overflows = (v: number) => v >= U32_MAX;

/** Whether an entry of this (uncompressed) size must carry ZIP64 sizes: deflate can grow data a little. */
export function needsZip64Sizes(size: number): boolean {
  return size * 1.01 + 1024 >= U32_MAX;
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

function extraField(values: number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(ZIP64_EXTRA, 0);
  head.writeUInt16LE(values.length * 8, 2);
  return Buffer.concat([head, ...values.map(u64)]);
}

/**
 * The 26 bytes both headers share, from "version needed to extract" to "extra field length" (the local header
 * holds this block at offset 4, the central directory header at offset 6).
 */
function sharedFields(h: Buffer, at: number, r: EntryRecord, version: number, compressed: number, size: number, extraLength: number): void {
  h.writeUInt16LE(version, at);
  h.writeUInt16LE(r.utf8 ? 0x0800 : 0, at + 2);
  h.writeUInt16LE(r.method, at + 4);
  h.writeUInt16LE(r.time, at + 6);
  h.writeUInt16LE(r.date, at + 8);
  h.writeUInt32LE(r.crc >>> 0, at + 10);
  h.writeUInt32LE(compressed, at + 14);
  h.writeUInt32LE(size, at + 18);
  h.writeUInt16LE(r.name.length, at + 22);
  h.writeUInt16LE(extraLength, at + 24);
}

/** The local file header; with `zip64Local` its sizes are in a ZIP64 extra field (both, as the format requires). */
export function localHeader(r: EntryRecord): Buffer {
  if (!r.zip64Local && (overflows(r.size) || overflows(r.compressed))) throw new RangeError('entry outgrew its local header (no ZIP64 room)');
  const extra = r.zip64Local ? extraField([r.size, r.compressed]) : Buffer.alloc(0);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(SIG.local, 0);
  sharedFields(h, 4, r, r.zip64Local ? V45 : V20, r.zip64Local ? U32_MAX : r.compressed, r.zip64Local ? U32_MAX : r.size, extra.length);
  return Buffer.concat([h, r.name, extra]);
}

/** The central directory header; only the fields that overflow go into its ZIP64 extra field, in the format's order. */
export function centralHeader(r: EntryRecord): Buffer {
  const big = [r.size, r.compressed, r.offset].filter(overflows);
  const extra = extraField(big);
  const version = big.length > 0 || r.zip64Local ? V45 : V20;
  const h = Buffer.alloc(46);
  h.writeUInt32LE(SIG.central, 0);
  h.writeUInt16LE((3 << 8) | version, 4); // made by: Unix, so the external attributes carry the mode
  sharedFields(h, 6, r, version, overflows(r.compressed) ? U32_MAX : r.compressed, overflows(r.size) ? U32_MAX : r.size, extra.length);
  h.writeUInt32LE(r.attrs >>> 0, 38);
  h.writeUInt32LE(overflows(r.offset) ? U32_MAX : r.offset, 42);
  return Buffer.concat([h, r.name, extra]);
}

/**
 * The records after the central directory: the end of central directory record, preceded by the ZIP64 end record
 * and its locator when the entry count, the directory's size or its offset does not fit the classic fields.
 * `cdEnd` is where the central directory ends (where these records start).
 */
export function endRecords(entries: number, cdStart: number, cdEnd: number): Buffer {
  const cdSize = cdEnd - cdStart;
  const zip64 = entries >= U16_MAX || overflows(cdSize) || overflows(cdStart);
  const parts: Buffer[] = [];
  if (zip64) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(SIG.zip64End, 0);
    z.writeBigUInt64LE(44n, 4); // size of the rest of this record
    z.writeUInt16LE((3 << 8) | V45, 12);
    z.writeUInt16LE(V45, 14);
    // disk numbers (16, 20) stay 0: one disk
    z.writeBigUInt64LE(BigInt(entries), 24);
    z.writeBigUInt64LE(BigInt(entries), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(SIG.zip64Locator, 0);
    locator.writeBigUInt64LE(BigInt(cdEnd), 8);
    locator.writeUInt32LE(1, 16); // total number of disks
    parts.push(z, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG.end, 0);
  end.writeUInt16LE(Math.min(entries, U16_MAX), 8);
  end.writeUInt16LE(Math.min(entries, U16_MAX), 10);
  end.writeUInt32LE(overflows(cdSize) ? U32_MAX : cdSize, 12);
  end.writeUInt32LE(overflows(cdStart) ? U32_MAX : cdStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}
