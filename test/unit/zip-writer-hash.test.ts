import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch } from '../support/repo.js';
import { writeZip } from '../../src/storage/zip/writer.js';
import { verifyZip } from '../support/zip-read.js';

const fileSha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('writeZip reports the SHA-256 of the archive it wrote', () => {
  it('native writer, small entries (hashed on the way out)', async () => {
    const dir = scratch();
    const zip = join(dir, 'a.zip');
    writeFileSync(join(dir, 'f.txt'), 'hello\n');
    const r = await writeZip(zip, [{ name: 'd/', data: '' }, { name: 'd/f.txt', file: join(dir, 'f.txt') }, { name: 'x', data: 'x' }]);
    expect(r.sha256).toBe(fileSha256(zip));
  });

  it('native writer with a file over 8 MiB (its header is patched after the data, so the file is hashed)', async () => {
    const dir = scratch();
    const zip = join(dir, 'big.zip');
    writeFileSync(join(dir, 'big.bin'), randomBytes(9 * 1024 * 1024));
    const r = await writeZip(zip, [{ name: 'small', data: 'a' }, { name: 'big.bin', file: join(dir, 'big.bin') }], 1);
    expect(await verifyZip(zip)).toBe(2);
    expect(r.sha256).toBe(fileSha256(zip));
  });
  // A ZIP64 archive's hash is checked in test/zip64.test.ts.
});
