import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipEntry, verifyZip } from '../support/zip-read.js';
import { writeZip } from '../../src/storage/zip/writer.js';
import { scratch } from '../support/repo.js';

const ENTRIES = 70_000;

describe('ZIP64 through the real writer (decision 0005)', () => {
  it(`writes ${ENTRIES.toLocaleString('en')} entries (past the classic 65,535) that unzip -t and our reader accept`, async () => {
    const dir = scratch();
    const zip = join(dir, 'many.zip');
    const entries = Array.from({ length: ENTRIES }, (_, i) => ({ name: `d${i % 50}/entry-${i}.txt`, data: `entry ${i}\n` }));
    const written = await writeZip(zip, entries);
    expect(written.entries).toBe(ENTRIES);
    expect(written.sha256).toBe(createHash('sha256').update(readFileSync(zip)).digest('hex'));

    const bytes = readFileSync(zip);
    // The ZIP64 end of central directory record and its locator are there, and the classic record says "see ZIP64".
    expect(bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0);
    expect(bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBeGreaterThan(0);
    expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(0xffff);

    const test = execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' });
    expect(test).toMatch(/No errors detected/);

    // Our reader: every entry's CRC (verifyZip), and the last one by name.
    expect(await verifyZip(zip)).toBe(ENTRIES);
    expect((await readZipEntry(zip, 'd49/entry-69999.txt')).toString()).toBe('entry 69999\n');
  });
});
