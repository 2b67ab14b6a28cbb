import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCentralDirectory } from '../../src/storage/zip/central-directory.js';
import { centralHeader, endRecords, localHeader, needsZip64Sizes, type EntryRecord } from '../../src/storage/zip/records.js';
import { scratch } from '../support/repo.js';

const GiB = 1024 ** 3;

function record(over: Partial<EntryRecord>): EntryRecord {
  return {
    name: Buffer.from('f.bin'), utf8: false, method: 8, time: 0, date: 33, crc: 0x12345678, compressed: 10, size: 20,
    offset: 0, attrs: (0o100644 << 16) >>> 0, zip64Local: false, ...over,
  };
}

/**
 * A "central directory only" archive: our reader parses the directory and end records without touching entry
 * data, so sizes and offsets past 4 GiB can be checked without writing gigabytes.
 */
function readBack(records: EntryRecord[], cdStart = 0) {
  const cd = Buffer.concat(records.map(centralHeader));
  const file = join(scratch(), 'cd.zip');
  const end = endRecords(records.length, cdStart, cdStart + cd.length);
  writeFileSync(file, '');
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.concat([cd, end]), 0, cd.length + end.length, cdStart);
    return readCentralDirectory(fd, cdStart + cd.length + end.length);
  } finally {
    closeSync(fd);
  }
}

describe('ZIP records', () => {
  it('writes classic headers for small entries (version 2.0, no extra field)', () => {
    const local = localHeader(record({}));
    expect(local.readUInt16LE(4)).toBe(20);
    expect(local.readUInt16LE(28)).toBe(0);
    expect(local.readUInt32LE(18)).toBe(10);
    expect(local.readUInt32LE(22)).toBe(20);
    const central = centralHeader(record({}));
    expect(central.readUInt16LE(6)).toBe(20);
    expect(central.readUInt16LE(30)).toBe(0);
    expect(endRecords(3, 100, 200)).toHaveLength(22);
    expect(endRecords(0xfffe, 100, 200)).toHaveLength(22);
    // 0xFFFF in the classic count means "see ZIP64", so exactly 65,535 entries already need the ZIP64 records.
    expect(endRecords(0xffff, 100, 200)).toHaveLength(56 + 20 + 22);
  });

  it('puts both sizes of a ZIP64 local header in its extra field', () => {
    const local = localHeader(record({ zip64Local: true, size: 5 * GiB, compressed: 7 }));
    expect(local.readUInt16LE(4)).toBe(45);
    expect(local.readUInt32LE(18)).toBe(0xffffffff);
    expect(local.readUInt32LE(22)).toBe(0xffffffff);
    const extraAt = 30 + 5;
    expect(local.readUInt16LE(28)).toBe(20);
    expect(local.readUInt16LE(extraAt)).toBe(0x0001);
    expect(local.readBigUInt64LE(extraAt + 4)).toBe(BigInt(5 * GiB));
    expect(local.readBigUInt64LE(extraAt + 12)).toBe(7n);
  });

  it('refuses sizes past 4 GiB in a local header with no room for them', () => {
    expect(() => localHeader(record({ size: 5 * GiB }))).toThrow(RangeError);
  });

  it('decides ZIP64 sizes with room for deflate to grow the data', () => {
    expect(needsZip64Sizes(1 * GiB)).toBe(false);
    expect(needsZip64Sizes(0xffffffff - 10)).toBe(true);
    expect(needsZip64Sizes(5 * GiB)).toBe(true);
  });

  it('round-trips sizes and an offset past 4 GiB through the central directory and the ZIP64 end records', () => {
    const records = [
      record({ name: Buffer.from('small'), offset: 0 }),
      record({ name: Buffer.from('huge'), size: 6 * GiB, compressed: 5 * GiB, offset: 100, zip64Local: true }),
      record({ name: Buffer.from('late'), offset: 5 * GiB + 200, size: 1, compressed: 1 }),
    ];
    const cdStart = 5 * GiB + 300;
    const back = readBack(records, cdStart);
    expect(back.map((e) => [e.name, e.uncompressedSize, e.compressedSize, e.localHeaderOffset])).toEqual([
      ['small', 20, 10, 0],
      ['huge', 6 * GiB, 5 * GiB, 100],
      ['late', 1, 1, 5 * GiB + 200],
    ]);
  });

  it('marks overflowing end-record fields and writes the locator pointing at the ZIP64 record', () => {
    const end = endRecords(70_000, 5 * GiB, 5 * GiB + 1000);
    expect(end).toHaveLength(56 + 20 + 22);
    expect(end.readUInt32LE(0)).toBe(0x06064b50);
    expect(end.readBigUInt64LE(32)).toBe(70_000n);
    expect(end.readBigUInt64LE(40)).toBe(1000n);
    expect(end.readBigUInt64LE(48)).toBe(BigInt(5 * GiB));
    expect(end.readUInt32LE(56)).toBe(0x07064b50);
    expect(end.readBigUInt64LE(56 + 8)).toBe(BigInt(5 * GiB + 1000));
    const classic = end.subarray(76);
    expect(classic.readUInt16LE(8)).toBe(0xffff);
    expect(classic.readUInt32LE(12)).toBe(1000);
    expect(classic.readUInt32LE(16)).toBe(0xffffffff);
  });
});
