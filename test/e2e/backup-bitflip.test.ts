import { chmodSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyBackups } from '../../src/api/verify-backups.js';
import { ok } from '../support/cli.js';
import { useRepoEnv } from '../support/in-process.js';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { mulberry32 } from '../support/prng.js';

/**
 * Issue #18 item 2: a seeded campaign of single-byte flips in the names, modes, CRCs and sizes of a real session ZIP
 * and a real daily ZIP, in the central directory and in the local headers. Each flipped archive goes through
 * `backup verify` (the api, in-process; git is real). It runs with the whole-archive SHA-256 taken out of the
 * records, so what catches a flip is the entry check and the per-file records alone (with the SHA-256 recorded,
 * every flip anywhere fails on the hash; that is checked on a sample). The figures are printed.
 * BITFLIP_SEED=<n> replays a run.
 */

const SEED = Number(process.env.BITFLIP_SEED ?? 18);
const DAY = '2025-10-25';

type Field = 'name' | 'mode' | 'crc' | 'size';
interface Flip { at: number; field: Field; where: 'central' | 'local'; entry: string }

interface Entry { name: Buffer; host: number; attrs: number; cd: number; local: number }

/** The central directory, read by this test's own few lines (not specmap's reader): where each field lies. */
function entries(zip: Buffer): Entry[] {
  // git archive puts the commit id in the archive comment, after the end record.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const n = zip.readUInt16LE(p + 28);
    out.push({ name: zip.subarray(p + 46, p + 46 + n), host: zip[p + 5]!, attrs: zip.readUInt32LE(p + 38), cd: p, local: zip.readUInt32LE(p + 42) });
    p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

/**
 * Every byte of every mode, CRC and size field; of the names every byte with BITFLIP_ALL=1, else four per name and
 * header (first, last and two seeded others), which keeps the run near a minute.
 */
function flips(zip: Buffer, random: () => number): Flip[] {
  const out: Flip[] = [];
  const all = process.env.BITFLIP_ALL === '1';
  const range = (from: number, length: number, field: Flip['field'], where: Flip['where'], entry: string) => {
    let picks = [...Array(length).keys()];
    if (field === 'name' && !all && length > 4) {
      picks = [...new Set([0, length - 1, Math.floor(random() * length), Math.floor(random() * length)])];
    }
    for (const i of picks) out.push({ at: from + i, field, where, entry });
  };
  for (const e of entries(zip)) {
    const name = e.name.toString('latin1');
    const n = e.name.length;
    range(e.cd + 46, n, 'name', 'central', name);
    range(e.cd + 38, 4, 'mode', 'central', name);
    range(e.cd + 5, 1, 'mode', 'central', name); // the host: whether the attributes are a Unix mode
    range(e.cd + 16, 4, 'crc', 'central', name);
    range(e.cd + 20, 8, 'size', 'central', name);
    range(e.local + 30, n, 'name', 'local', name);
    range(e.local + 14, 4, 'crc', 'local', name);
    range(e.local + 18, 8, 'size', 'local', name);
  }
  return out;
}

/** What restore makes of an entry's mode: folder, link, executable or plain file; 'other' for a type it refuses. */
function kind(name: Buffer, host: number, attrs: number): string {
  if (name[name.length - 1] === 0x2f) return 'directory';
  const mode = host === 3 || host === 19 ? attrs >>> 16 : 0;
  const type = mode & 0o170000;
  if (type === 0o120000) return 'symlink';
  if (type !== 0 && type !== 0o100000) return 'other';
  return mode & 0o111 ? 'executable' : 'file';
}

/** Whether a flip changes what the archive means to restore or to another ZIP tool. Names, CRCs, sizes always do. */
function changesMeaning(original: Buffer, flipped: Buffer, f: Flip): boolean {
  if (f.field !== 'mode') return true;
  const before = entries(original).find((e) => e.cd <= f.at && f.at < e.cd + 46)!;
  const after = entries(flipped).find((e) => e.cd === before.cd)!;
  return kind(before.name, before.host, before.attrs) !== kind(after.name, after.host, after.attrs);
}

interface Tally { flips: number; meaningful: number; detected: number; meaningfulDetected: number; missed: Flip[] }

async function campaign(repo: TestRepo, zipPath: string, target: string, random: () => number, every = 1): Promise<Record<Field, Tally>> {
  const original = readFileSync(zipPath);
  expect((await verifyBackups({ cwd: repo.dir, backup: target })).ok).toBe(true);
  const tally = {} as Record<Field, Tally>;
  const chosen = flips(original, random).filter((_, i) => i % every === 0);
  for (const f of chosen) {
    const t = (tally[f.field] ??= { flips: 0, meaningful: 0, detected: 0, meaningfulDetected: 0, missed: [] });
    const bytes = Buffer.from(original);
    bytes[f.at] ^= 1 + Math.floor(random() * 255);
    writeFileSync(zipPath, bytes);
    const meaningful = changesMeaning(original, bytes, f);
    const detected = !(await verifyBackups({ cwd: repo.dir, backup: target })).ok;
    t.flips += 1;
    if (detected) t.detected += 1;
    if (meaningful) {
      t.meaningful += 1;
      if (detected) t.meaningfulDetected += 1;
      else t.missed.push(f);
    }
  }
  writeFileSync(zipPath, original);
  return tally;
}

function report(label: string, tally: Record<Field, Tally>): void {
  const lines = Object.entries(tally).map(([field, t]) =>
    `${label} ${field}: ${t.flips} flips, ${t.detected} detected (${((100 * t.detected) / t.flips).toFixed(1)}%); `
    + `${t.meaningful} change meaning, ${t.meaningfulDetected} of them detected (${((100 * t.meaningfulDetected) / Math.max(t.meaningful, 1)).toFixed(1)}%)`);
  console.log(`bit-flip campaign, seed ${SEED}\n${lines.join('\n')}`);
}

function expectAllMeaningfulDetected(tally: Record<Field, Tally>): void {
  for (const [field, t] of Object.entries(tally)) {
    expect(t.missed, `${field} flips that change meaning but verify passed`).toEqual([]);
    expect(t.meaningfulDetected).toBe(t.meaningful);
    // Every name, CRC and size flip changes meaning; the campaign really flipped them.
    if (field !== 'mode') expect(t.meaningful).toBe(t.flips);
    expect(t.flips).toBeGreaterThan(0);
  }
}

async function fixture(): Promise<{ repo: TestRepo; session: { id: string; zip: string }; daily: string }> {
  const repo = makeRepo();
  repo.write('00-governance/charter.md', '# Charter\n');
  repo.write('01-specifications/auth.md', '# Auth spec\n');
  repo.write('01-specifications/tool.sh', '#!/bin/sh\necho hi\n');
  chmodSync(join(repo.dir, '01-specifications/tool.sh'), 0o755);
  symlinkSync('auth.md', join(repo.dir, '01-specifications/auth-link.md'));
  repo.write('TRACKING.md', '# Tracking\n');
  repo.commitAll('SpecMap layout');
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'flip'], o);
  repo.write('src/run.sh', '#!/bin/sh\nexit 0\n');
  chmodSync(join(repo.dir, 'src/run.sh'), 0o755);
  await ok(['checkpoint', '@', 'a script'], o);
  const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
  await ok(['backup', 'daily'], { ...o, now: `${DAY}T12:00:00` });
  useRepoEnv(repo);
  return { repo, session: { id: ended.session_id, zip: join(repo.dir, ended.backup.path) }, daily: join(repo.dir, `04-agents/backups/daily/${DAY}/backup.zip`) };
}

/** Takes the whole-archive SHA-256 out of every record, as a ZIP written before it was recorded has none. */
function dropArchiveHashes(repo: TestRepo, sessionZip: string): void {
  rmSync(`${sessionZip}.sha256`);
  for (const mf of [sessionZip.replace(/\.zip$/, '.manifest.json'), join(repo.dir, `04-agents/backups/daily/${DAY}/manifest.json`)]) {
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    delete m.archive_sha256;
    writeFileSync(mf, JSON.stringify(m));
  }
}

describe('bit-flip campaign: verify detects every flip that changes meaning', () => {
  it('in the names, modes, CRCs and sizes of a session ZIP and a daily ZIP, without the whole-archive hash', async () => {
    const { repo, session, daily } = await fixture();
    // An executable checkpoint file and an executable, a link and plain files in the daily ZIP: modes that matter.
    const sessionModes = entries(readFileSync(session.zip)).map((e) => kind(e.name, e.host, e.attrs));
    expect(sessionModes).toContain('executable');
    expect(entries(readFileSync(daily)).map((e) => kind(e.name, e.host, e.attrs))).toEqual(expect.arrayContaining(['executable', 'symlink', 'file']));

    // With the archive's SHA-256 recorded, any flip fails on it (a sample of every 10th flip).
    const random = mulberry32(SEED);
    const hashed = await campaign(repo, session.zip, session.id, random, 10);
    for (const t of Object.values(hashed)) expect(t.detected).toBe(t.flips);
    report('session ZIP, archive SHA-256 recorded (every 10th flip)', hashed);

    dropArchiveHashes(repo, session.zip);
    const s = await campaign(repo, session.zip, session.id, random);
    report('session ZIP, no archive SHA-256', s);
    expectAllMeaningfulDetected(s);
    const d = await campaign(repo, daily, DAY, random);
    report('daily ZIP, no archive SHA-256', d);
    expectAllMeaningfulDetected(d);
  }, 600_000);
});
