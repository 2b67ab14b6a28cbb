import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachZipEntry } from '../../src/storage/zip/reader.js';
import { scratch } from '../support/repo.js';
import { writeRawZip } from '../support/zip-fixtures.js';

/** Reads every entry of `zip` whole (every check, every CRC); returns the names, or the refusal's message. */
async function readAll(zip: string): Promise<string[] | string> {
  const names: string[] = [];
  try {
    await forEachZipEntry(zip, async (e, read) => {
      if (!e.isDirectory) await read();
      names.push(e.name);
    });
  } catch (err) {
    return (err as Error).message;
  }
  return names;
}

/** Info-ZIP writing to a pipe: data descriptors after each entry, zero CRC and compressed size in the local header. */
function streamedZip(): string {
  const dir = scratch('specmap-zip-');
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  writeFileSync(join(dir, 'b.txt'), 'b'.repeat(5000));
  const zip = join(dir, 'streamed.zip');
  execFileSync('sh', ['-c', 'zip -q - a.txt b.txt | cat > streamed.zip'], { cwd: dir });
  const bytes = readFileSync(zip);
  expect(bytes.readUInt16LE(6) & 0x8).toBe(0x8); // the first entry really has a data descriptor
  return zip;
}

describe('the ZIP entry check', () => {
  it('reads archives with data descriptors (Info-ZIP to a pipe), comparing the descriptor with the central directory', async () => {
    const zip = streamedZip();
    expect(await readAll(zip)).toEqual(['a.txt', 'b.txt']);
    const bytes = readFileSync(zip);
    const dd = bytes.indexOf(Buffer.from('PK\x07\x08', 'latin1'));
    bytes[dd + 4] ^= 0xff; // the descriptor's CRC
    writeFileSync(zip, bytes);
    expect(await readAll(zip)).toMatch(/entry "a\.txt": CRC in the local header differs from the central directory/);
  });

  it('refuses a local header that names another file, or that disagrees on method or sizes', async () => {
    const dir = scratch('specmap-zip-');
    const zip = join(dir, 'a.zip');
    writeRawZip(zip, [{ name: 'notes/a.md', data: 'a' }, { name: 'notes/b.md', data: 'bb' }]);
    expect(await readAll(zip)).toEqual(['notes/a.md', 'notes/b.md']);
    const good = readFileSync(zip);
    const cases: [number, RegExp][] = [
      [30 + 6, /the local header names it "notes\/b\.md"/], // name byte 'a' -> 'b' in the first local header
      [8, /method 1 in the local header, 0 in the central directory/],
      [22, /sizes 1\/0 in the local header, 1\/1 in the central directory/],
    ];
    for (const [at, message] of cases) {
      const bytes = Buffer.from(good);
      bytes[at] = at === 36 ? 0x62 : at === 8 ? 1 : 0;
      writeFileSync(zip, bytes);
      expect(await readAll(zip)).toMatch(message);
    }
  });

  it('refuses a deflated entry declaring more than deflate can produce, and overlapping entries', async () => {
    const dir = scratch('specmap-zip-');
    const zip = join(dir, 'b.zip');
    writeRawZip(zip, [{ name: 'x.bin', deflated: { bytes: Buffer.from([0x03, 0x00]), size: 10 * 1024 * 1024 } }]);
    expect(await readAll(zip)).toMatch(/declares 10485760 bytes from 2 compressed, more than deflate can produce/);
    writeRawZip(zip, [{ name: 'a.txt', data: 'aaaa' }, { name: 'b.txt', data: 'bbbb' }]);
    const bytes = readFileSync(zip);
    const cd = bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
    // The first entry's sizes, in both headers, now run into the second entry's local header.
    for (const at of [cd + 20, cd + 24, 18, 22]) bytes.writeUInt32LE(8, at);
    writeFileSync(zip, bytes);
    expect(await readAll(zip)).toMatch(/entry "a\.txt": its data overlaps the next entry or the central directory/);
  });
});
