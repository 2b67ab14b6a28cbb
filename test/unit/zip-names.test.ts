import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listZip } from '../../src/storage/zip/reader.js';
import { writeZip } from '../../src/storage/zip/writer.js';
import { SpecmapError } from '../../src/shared/errors.js';
import { scratch } from '../support/repo.js';
import { writeRawZip } from '../support/zip-fixtures.js';

/** The general-purpose flags of each central directory header, by name (bit 11 = the name is UTF-8). */
function centralFlags(zip: Buffer): Map<string, number> {
  const out = new Map<string, number>();
  for (let p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); p !== -1; p = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), p + 4)) {
    const len = zip.readUInt16LE(p + 28);
    out.set(zip.subarray(p + 46, p + 46 + len).toString('latin1'), zip.readUInt16LE(p + 8));
  }
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof SpecmapError ? err.code : 'not-a-specmap-error';
  }
  return undefined;
}

describe('ZIP entry names', () => {
  it('writes names in text form as their bytes, flagging UTF-8 only where it is, and reads them back', async () => {
    const dir = scratch();
    const zip = join(dir, 'names.zip');
    const names = ['plain.txt', 'with space/a b.txt', 'café.txt', '"caf\\351.txt"', '"new\\nline.txt"', 'back\\slash.txt'];
    await writeZip(zip, names.map((name) => ({ name, data: name })));
    const listed = await listZip(zip);
    expect(listed.map((e) => e.name)).toEqual(names);
    expect(listed.find((e) => e.name === '"caf\\351.txt"')!.raw).toEqual(Buffer.from('caf\xe9.txt', 'latin1'));
    const flags = centralFlags(readFileSync(zip));
    expect(flags.get('plain.txt')! & 0x0800).toBe(0);
    expect(flags.get(Buffer.from('café.txt').toString('latin1'))! & 0x0800).toBe(0x0800);
    expect(flags.get('caf\xe9.txt')! & 0x0800).toBe(0);
    // unzip reads the same names (a backslash in a Unix-made archive is part of the name).
    const unzipNames = execFileSync('unzip', ['-Z1', zip]).toString('latin1').split('\n').filter(Boolean);
    expect(unzipNames).toContain('back\\slash.txt');
    expect(unzipNames).toContain('caf\xe9.txt');
  });

  it('reads backslashes as separators only in archives made on DOS/Windows', async () => {
    const dir = scratch();
    writeRawZip(join(dir, 'unix.zip'), [{ name: 'a\\b.txt', data: 'x', host: 3 }]);
    writeRawZip(join(dir, 'dos.zip'), [{ name: 'a\\b.txt', data: 'x', host: 0 }]);
    expect((await listZip(join(dir, 'unix.zip'))).map((e) => e.name)).toEqual(['a\\b.txt']);
    expect((await listZip(join(dir, 'dos.zip'))).map((e) => e.name)).toEqual(['a/b.txt']);
  });

  it.each([
    ['a parent folder behind DOS backslashes', 'ok\\..\\..\\evil.txt', 0],
    ['a drive letter', 'c:evil.txt', 3],
    ['an absolute DOS path', '\\evil.txt', 0],
    ['a NUL byte', 'a\0b', 3],
    ['a bare ..', '..', 3],
  ])('refuses %s as CORRUPT_DATA', async (_label, name, host) => {
    const dir = scratch();
    writeRawZip(join(dir, 'bad.zip'), [{ name, data: 'x', host }]);
    expect(await codeOf(listZip(join(dir, 'bad.zip')))).toBe('CORRUPT_DATA');
  });

  it('accepts names that only look like traversal', async () => {
    const dir = scratch();
    writeRawZip(join(dir, 'ok.zip'), [{ name: '..hidden/a..b/.../x', data: 'x' }]);
    expect((await listZip(join(dir, 'ok.zip'))).map((e) => e.name)).toEqual(['..hidden/a..b/.../x']);
  });
});
