import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listZip, readZipEntry, verifyZip } from '../src/storage/zip/reader.js';
import { writeZip } from '../src/storage/zip/writer.js';
import { scratch } from './support/repo.js';

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

  // About a minute of CPU (27 s to write, 37 s for unzip -t): run with SPECMAP_ZIP64_LARGE=1.
  it.runIf(process.env.SPECMAP_ZIP64_LARGE === '1')('writes a file over 4 GiB (a sparse one) with ZIP64 sizes', async () => {
    const dir = scratch();
    const big = join(dir, 'big.sparse');
    writeFileSync(big, '');
    truncateSync(big, 5 * 1024 ** 3);
    const fd = openSync(big, 'r+');
    writeSync(fd, 'tail', 5 * 1024 ** 3);
    closeSync(fd);
    const zip = join(dir, 'big.zip');
    await writeZip(zip, [{ name: 'small.txt', data: 'hi\n' }, { name: 'big.sparse', file: big }, { name: 'after.txt', data: 'after\n' }], 1);
    expect(execFileSync('unzip', ['-tq', zip], { encoding: 'utf8' })).toMatch(/No errors detected/);
    expect((await listZip(zip)).map((e) => [e.name, e.size])).toEqual([['small.txt', 3], ['big.sparse', 5 * 1024 ** 3 + 4], ['after.txt', 6]]);
    expect(await verifyZip(zip)).toBe(3);
  }, 300_000);
});
