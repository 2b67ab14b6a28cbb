import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractZip, listZip } from '../../src/storage/zip/reader.js';
import { readZipEntry, verifyZip } from '../support/zip-read.js';
import { writeZip } from '../../src/storage/zip/writer.js';
import { SpecmapError } from '../../src/shared/errors.js';
import { scratch } from '../support/repo.js';
import { writeRawZip } from '../support/zip-fixtures.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SpecmapError) return err.code;
    throw err;
  }
  return undefined;
}

// Small archives are read whole and inflated synchronously, large ones streamed from disk: both paths get every test.
describe.each([
  ['read into memory', undefined],
  ['streamed from disk', '0'],
])('ZIP writer and reader (%s)', (_mode, limit) => {
  const saved = process.env.SPECMAP_ZIP_IN_MEMORY_MAX;
  beforeAll(() => {
    if (limit === undefined) delete process.env.SPECMAP_ZIP_IN_MEMORY_MAX;
    else process.env.SPECMAP_ZIP_IN_MEMORY_MAX = limit;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.SPECMAP_ZIP_IN_MEMORY_MAX;
    else process.env.SPECMAP_ZIP_IN_MEMORY_MAX = saved;
  });

  it('round-trips files, bytes and folders, and the result passes unzip -t', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'big.txt'), 'line\n'.repeat(50_000));
    const zip = join(dir, 'out.zip');
    const r = await writeZip(zip, [
      { name: 's/big.txt', file: join(dir, 'big.txt') },
      { name: 's/bin', data: Buffer.from([0, 255, 10, 13]) },
      { name: 's/empty.md', data: '' },
    ]);
    expect(r.entries).toBe(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    execFileSync('unzip', ['-tq', zip]);
    expect((await listZip(zip)).map((e) => e.name).sort()).toEqual(['s/big.txt', 's/bin', 's/empty.md']);
    expect(await readZipEntry(zip, 's/bin')).toEqual(Buffer.from([0, 255, 10, 13]));
    expect((await readZipEntry(zip, 's/big.txt')).length).toBe(250_000);
    expect(await verifyZip(zip)).toBe(3);

    const dest = join(dir, 'restored');
    const written = await extractZip(zip, dest, { select: (n) => (n.startsWith('s/') ? n.slice(2) : null) });
    expect(written.sort()).toEqual(['big.txt', 'bin', 'empty.md']);
    expect(readFileSync(join(dest, 'bin'))).toEqual(Buffer.from([0, 255, 10, 13]));
  });

  it('writes large files a chunk at a time, stores what does not compress, and unzip agrees byte for byte', async () => {
    const dir = scratch();
    // 20 MB: over the whole-file limit, so it is deflated in 1 MB pieces; half text, half random bytes.
    const text = Buffer.from('some compressible line of text\n'.repeat(330_000));
    const noise = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
    writeFileSync(join(dir, 'large.bin'), Buffer.concat([text, noise]));
    writeFileSync(join(dir, 'random.bin'), noise.subarray(0, 100_000));
    const zip = join(dir, 'large.zip');
    await writeZip(zip, [
      { name: 'd/', data: '' },
      { name: 'd/large.bin', file: join(dir, 'large.bin') },
      { name: 'd/random.bin', file: join(dir, 'random.bin') },
      { name: 'd/ünïcode name.md', data: 'x' },
    ]);
    execFileSync('unzip', ['-tq', zip]);
    const listing = execFileSync('unzip', ['-Zv', zip], { encoding: 'utf8' });
    expect(listing).toMatch(/d\/random\.bin[\s\S]*?compression method:\s+none \(stored\)/);
    // Buffer.equals: a 20 MB toEqual walks every byte through the generic matcher.
    const original = readFileSync(join(dir, 'large.bin'));
    expect(execFileSync('unzip', ['-p', zip, 'd/large.bin'], { maxBuffer: 64 * 1024 * 1024 }).equals(original)).toBe(true);
    expect((await listZip(zip)).map((e) => e.name)).toEqual(['d/', 'd/large.bin', 'd/random.bin', 'd/ünïcode name.md']);
    expect((await readZipEntry(zip, 'd/large.bin')).equals(original)).toBe(true);
    expect(await readZipEntry(zip, 'd/ünïcode name.md')).toEqual(Buffer.from('x'));
  });

  it('reads ZIP64 archives (zip -fz writes the ZIP64 end records and extra fields)', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'a.txt'), 'hello\n');
    const noise = Buffer.alloc(100_000);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE(Math.imul(i + 1, 2654435761) >>> 0, i);
    writeFileSync(join(dir, 'd', 'b.bin'), noise);
    execFileSync('zip', ['-q', '-fz', '-r', 'z64.zip', 'd'], { cwd: dir });
    const raw = readFileSync(join(dir, 'z64.zip'));
    expect(raw.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBeGreaterThan(0); // really ZIP64
    expect((await listZip(join(dir, 'z64.zip'))).map((e) => [e.name, e.size]).sort()).toEqual([['d/', 0], ['d/a.txt', 6], ['d/b.bin', 100_000]]);
    expect((await readZipEntry(join(dir, 'z64.zip'), 'd/b.bin')).equals(noise)).toBe(true);
    expect(await verifyZip(join(dir, 'z64.zip'))).toBe(2);
  });

  it('reads archives made by the zip tool, including folders', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'w', 'notes'), { recursive: true });
    writeFileSync(join(dir, 'w', 'notes', 'a.md'), 'a\n');
    execFileSync('zip', ['-qr', join(dir, 'x.zip'), 'w'], { cwd: dir });
    const names = (await listZip(join(dir, 'x.zip'))).map((e) => [e.name, e.isDirectory]);
    expect(names).toEqual([['w/', true], ['w/notes/', true], ['w/notes/a.md', false]]);
    await extractZip(join(dir, 'x.zip'), join(dir, 'out'));
    expect(readFileSync(join(dir, 'out', 'w', 'notes', 'a.md'), 'utf8')).toBe('a\n');
  });

  it('says BACKUP_NOT_FOUND for a missing archive or entry', async () => {
    const dir = scratch();
    expect(await codeOf(listZip(join(dir, 'nope.zip')))).toBe('BACKUP_NOT_FOUND');
    writeRawZip(join(dir, 'a.zip'), [{ name: 'a.txt', data: 'a' }]);
    expect(await codeOf(readZipEntry(join(dir, 'a.zip'), 'b.txt'))).toBe('BACKUP_NOT_FOUND');
  });

  it('calls garbage, truncation and a wrong CRC corrupt', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'garbage.zip'), 'this is not a zip file at all');
    expect(await codeOf(listZip(join(dir, 'garbage.zip')))).toBe('CORRUPT_DATA');

    writeRawZip(join(dir, 'good.zip'), [{ name: 'a.txt', data: 'hello world' }]);
    const bytes = readFileSync(join(dir, 'good.zip'));
    writeFileSync(join(dir, 'truncated.zip'), bytes.subarray(0, bytes.length - 10));
    expect(await codeOf(listZip(join(dir, 'truncated.zip')))).toBe('CORRUPT_DATA');

    const flipped = Buffer.from(bytes);
    flipped[30 + 'a.txt'.length] ^= 0xff; // first byte of the stored data
    writeFileSync(join(dir, 'flipped.zip'), flipped);
    expect(await codeOf(readZipEntry(join(dir, 'flipped.zip'), 'a.txt'))).toBe('CORRUPT_DATA');
    expect(await codeOf(verifyZip(join(dir, 'flipped.zip')))).toBe('CORRUPT_DATA');
    expect(await codeOf(extractZip(join(dir, 'flipped.zip'), join(dir, 'out')))).toBe('CORRUPT_DATA');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it.each([
    ['a parent-directory name', '../evil.txt'],
    ['a nested parent-directory name', 'ok/../../evil.txt'],
    ['an absolute name', '/tmp/evil.txt'],
    ['a drive-letter name', 'C:/evil.txt'],
  ])('refuses %s and writes nothing', async (_label, name) => {
    const dir = scratch();
    writeRawZip(join(dir, 'slip.zip'), [{ name: 'fine.txt', data: 'fine' }, { name, data: 'evil' }]);
    const dest = join(dir, 'dest', 'inner');
    expect(await codeOf(extractZip(join(dir, 'slip.zip'), dest))).toBe('CORRUPT_DATA');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    expect(existsSync(join(dir, 'dest', 'evil.txt'))).toBe(false);
    expect(readdirSync(join(dir, 'dest'))).toEqual([]);
  });

  it('refuses symlink entries, whether crafted or made by zip -y', async () => {
    const dir = scratch();
    writeRawZip(join(dir, 'link.zip'), [{ name: 'link', data: '/etc/passwd', unixMode: 0o120777 }]);
    expect((await listZip(join(dir, 'link.zip')))[0]?.isSymlink).toBe(true);
    expect(await codeOf(extractZip(join(dir, 'link.zip'), join(dir, 'out')))).toBe('CORRUPT_DATA');
    expect(existsSync(join(dir, 'out'))).toBe(false);

    mkdirSync(join(dir, 'w'));
    symlinkSync('/etc', join(dir, 'w', 'etc-link'));
    execFileSync('zip', ['-qry', join(dir, 'y.zip'), 'w'], { cwd: dir });
    expect(await codeOf(extractZip(join(dir, 'y.zip'), join(dir, 'out2')))).toBe('CORRUPT_DATA');
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  it('normalises backslash names from Windows tools', async () => {
    const dir = scratch();
    writeRawZip(join(dir, 'win.zip'), [{ name: 'notes\\a.md', data: 'a', host: 0 }]);
    expect((await listZip(join(dir, 'win.zip'))).map((e) => e.name)).toEqual(['notes/a.md']);
    await extractZip(join(dir, 'win.zip'), join(dir, 'out'));
    expect(readFileSync(join(dir, 'out', 'notes', 'a.md'), 'utf8')).toBe('a');
  });

  it('never extracts over an existing folder', async () => {
    const dir = scratch();
    writeRawZip(join(dir, 'a.zip'), [{ name: 'a.txt', data: 'new' }]);
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'a.txt'), 'mine');
    expect(await codeOf(extractZip(join(dir, 'a.zip'), join(dir, 'out')))).toBe('CONFLICT');
    expect(readFileSync(join(dir, 'out', 'a.txt'), 'utf8')).toBe('mine');
  });
});
