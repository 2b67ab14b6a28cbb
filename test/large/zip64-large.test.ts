import { execFileSync } from 'node:child_process';
import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listZip } from '../../src/storage/zip/reader.js';
import { verifyZip } from '../support/zip-read.js';
import { writeZip } from '../../src/storage/zip/writer.js';
import { scratch } from '../support/repo.js';

// About a minute of CPU (27 s to write, 37 s for unzip -t) and 5 GiB of sparse disk: not in `npm test`, run by
// `npm run test:large` (vitest.config.ts leaves test/large/ out unless SPECMAP_LARGE=1).
describe('ZIP64 sizes through the real writer (decision 0005)', () => {
  it('writes a file over 4 GiB (a sparse one) with ZIP64 sizes', async () => {
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
