import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLI, ok } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { writeRawZip } from '../support/zip-fixtures.js';

/**
 * Issue #18 item 3: a zip bomb must not blow memory on restore. Entries inflate as streams, never past their declared
 * size, and a declared size deflate cannot produce from the compressed bytes (over 1,032:1) is refused before any
 * byte is inflated. Memory is the restoring process's peak resident set as GNU time reports it (`%M`), the whole
 * process from start to exit: no sampling, no timing window.
 */

const MiB = 1024 * 1024;
const SESSIONS = '04-agents/backups/sessions';
const ACTIVE = '04-agents/sessions/active';
const LIMIT_KB = 200 * 1024;

/** 64 MiB of zeros, deflated as hard as zlib can (about 1,030:1: 64 KiB). */
const ZEROS = 64 * MiB;
const zeros = Buffer.alloc(ZEROS);
const BOMB = deflateRawSync(zeros, { level: 9, strategy: constants.Z_DEFAULT_STRATEGY });
const ZEROS_CRC = crc32(zeros) >>> 0;

/** Runs the CLI under GNU time; returns its exit code, stderr and peak RSS in KiB. */
function measured(repo: TestRepo, args: string[]): { code: number; stdout: string; stderr: string; peakKb: number } {
  const out = join(scratch('specmap-rss-'), 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%M', process.execPath, CLI, ...args], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  const peakKb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  expect(peakKb).toBeGreaterThan(10_000); // a real measurement: node alone takes more than 10 MB
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, peakKb };
}

async function bombRepo(name: string, entry: Parameters<typeof writeRawZip>[1][number]): Promise<TestRepo> {
  const repo = makeRepo();
  await ok(['init'], { cwd: repo.dir, env: repo.env });
  writeRawZip(join(repo.dir, SESSIONS, `${name}-backup.zip`), [{ name: 'session.yaml', data: 'x' }, entry]);
  return repo;
}

describe('zip bombs', () => {
  it('restores 64 MiB of zeros from a 64 KiB entry streamed, its peak memory bounded', async () => {
    expect(BOMB.length).toBeLessThan(ZEROS / 1000);
    const name = '2025-10-25-session-001-zeros';
    const repo = await bombRepo(name, { name: 'notes/zeros.bin', crc: ZEROS_CRC, deflated: { bytes: BOMB, size: ZEROS } });
    const r = measured(repo, ['restore', '--restore-backup', name]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(repo.dir, ACTIVE, `${name}-restored/notes/zeros.bin`)).size).toBe(ZEROS);
    console.log(`restore of 64 MiB of zeros: peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
    expect(r.peakKb).toBeLessThan(LIMIT_KB);
    const v = measured(repo, ['backup', 'verify', name]);
    expect(v.code, v.stderr).toBe(0);
    console.log(`verify of the same: peak RSS ${(v.peakKb / 1024).toFixed(0)} MB`);
    expect(v.peakKb).toBeLessThan(LIMIT_KB);
  });

  it('refuses an entry that inflates past its declared size, at the first byte past it', async () => {
    // Declared 1 MiB (read whole, in memory) and 20 MiB (streamed): both would inflate to 64 MiB.
    for (const size of [1 * MiB, 20 * MiB]) {
      const name = `2025-10-25-session-001-lie${size}`;
      const repo = await bombRepo(name, { name: 'notes/zeros.bin', crc: ZEROS_CRC, deflated: { bytes: BOMB, size } });
      const r = measured(repo, ['restore', '--restore-backup', name]);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/notes\/zeros\.bin: (more data than the recorded|.*larger than|.*maxOutputLength|.*Cannot create a Buffer)/i);
      expect(readdirSync(join(repo.dir, ACTIVE))).toEqual([]);
      console.log(`refused lying entry (declared ${size / MiB} MiB): peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
      expect(r.peakKb).toBeLessThan(LIMIT_KB);
    }
  });

  it('refuses a declared size no deflate stream of that length can produce (512 MiB from 64 KiB) before inflating', async () => {
    const name = '2025-10-25-session-001-bomb';
    const repo = await bombRepo(name, { name: 'notes/zeros.bin', crc: ZEROS_CRC, deflated: { bytes: BOMB, size: 512 * MiB } });
    const r = measured(repo, ['restore', '--restore-backup', name]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/declares 536870912 bytes from \d+ compressed, more than deflate can produce/);
    expect(existsSync(join(repo.dir, ACTIVE, `${name}-restored`))).toBe(false);
    const v = measured(repo, ['backup', 'verify', name]);
    expect(v.code).toBe(6);
    expect(v.stdout).toMatch(/more than deflate can produce/);
  });
});
