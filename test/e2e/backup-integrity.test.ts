import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapProject } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const DAY = '2025-10-25';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const project = () => specmapProject({ '01-specifications/auth.md': '# Auth spec\n' });

/**
 * Offset of the first byte of the `id` extra field's data in the first local header of a ZIP. Local header:
 * signature, ..., name length at 26, extra length at 28, then the name and the extra fields (id, size, data).
 */
function localExtraField(zip: Buffer, id: number): number {
  expect(zip.readUInt32LE(0)).toBe(0x04034b50);
  const nameLength = zip.readUInt16LE(26);
  const extraLength = zip.readUInt16LE(28);
  let at = 30 + nameLength;
  while (at < 30 + nameLength + extraLength) {
    if (zip.readUInt16LE(at) === id) return at + 4;
    at += 4 + zip.readUInt16LE(at + 2);
  }
  throw new Error(`no extra field ${id.toString(16)} in the first local header`);
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] ^= 0x01;
  writeFileSync(path, bytes);
}

interface Verified { kind: string; name: string; ok: boolean; archive: string; problems: { path: string; problem: string }[]; notes: string[] }

describe('backup verify checks the whole archive against its recorded SHA-256', () => {
  it('records the hash for daily, milestone and session backups; an intact backup verifies', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    await ok(['end', '@'], o);
    await ok(['backup', 'daily'], { ...o, now: `${DAY}T12:00:00` });
    await ok(['backup', 'milestone', 'm1'], o);

    const daily = join(repo.dir, `04-agents/backups/daily/${DAY}`);
    const manifest = JSON.parse(readFileSync(join(daily, 'manifest.json'), 'utf8'));
    const zipBytes = readFileSync(join(daily, 'backup.zip'));
    expect(manifest).toMatchObject({ archive_sha256: sha256(zipBytes), archive_bytes: zipBytes.length });
    const milestone = JSON.parse(readFileSync(join(repo.dir, '04-agents/backups/milestones/m1.manifest.json'), 'utf8'));
    expect(milestone.archive_sha256).toBe(sha256(readFileSync(join(repo.dir, '04-agents/backups/milestones/m1.zip'))));

    // The session ZIP's hash is beside it, in the format sha256sum -c reads.
    const sessions = join(repo.dir, '04-agents/backups/sessions');
    const id = JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout).backups[0].name as string;
    const line = readFileSync(join(sessions, `${id}-backup.zip.sha256`), 'utf8');
    expect(line).toBe(`${sha256(readFileSync(join(sessions, `${id}-backup.zip`)))}  ${id}-backup.zip\n`);
    expect(execFileSync('sha256sum', ['-c', `${id}-backup.zip.sha256`], { cwd: sessions, encoding: 'utf8' })).toMatch(/: OK/);

    const all: Verified[] = JSON.parse((await ok(['backup', 'verify', '--json'], o)).stdout).results;
    expect(all.map((r) => [r.kind, r.ok, r.archive])).toEqual([['session', true, 'match'], ['daily', true, 'match'], ['milestone', true, 'match']]);
  });

  it('fails a daily ZIP with one byte flipped in a local header extra field (every entry CRC still matches)', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], { ...o, now: `${DAY}T12:00:00` });
    const zipRel = `04-agents/backups/daily/${DAY}/backup.zip`;
    // git archive writes an extended-timestamp field (0x5455) in each local header; entry CRCs do not cover it.
    flipByte(join(repo.dir, zipRel), localExtraField(readFileSync(join(repo.dir, zipRel)), 0x5455) + 1);

    const bad = await runCli(['backup', 'verify', DAY], o);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toMatch(/❌ daily 2025-10-25: 1 problem\n/);
    expect(bad.stdout).toContain(`${zipRel}: the archive's SHA-256 is `);
    expect(bad.stdout).toMatch(/recorded [0-9a-f]{16}…: the file changed after it was written/);
    expect(oneLineError(bad)).toBe('specmap: 1 backup failed verification');
    const json: Verified[] = JSON.parse((await runCli(['backup', 'verify', DAY, '--json'], o)).stdout).results;
    expect(json[0]).toMatchObject({ ok: false, archive: 'mismatch' });
    // The entries themselves are intact: only the archive hash can see this change.
    expect(json[0]!.problems.map((p) => p.path)).toEqual([zipRel]);
  });

  it('fails a session ZIP with one header byte changed, and still verifies an old manifest without the hash', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    await ok(['end', '@'], o);
    await ok(['backup', 'milestone', 'm1'], o);
    const [session] = JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout).backups as { name: string; zip: string }[];
    // Byte 10 of a local header is the modification time, which readers take from the central directory.
    flipByte(join(repo.dir, session!.zip), 10);
    const bad = await runCli(['backup', 'verify', session!.name], o);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toContain(`${session!.zip}: the archive's SHA-256 is `);
    expect(bad.stdout).toContain(`${session!.zip.replace(/\.zip$/, '.manifest.json')} recorded`);

    const mf = join(repo.dir, '04-agents/backups/milestones/m1.manifest.json');
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    delete m.archive_sha256;
    delete m.archive_bytes;
    writeFileSync(mf, JSON.stringify(m));
    const old = await ok(['backup', 'verify', 'm1'], o);
    expect(old.stdout).toMatch(/✅ milestone m1: \d+ files intact/);
    expect(old.stdout).toMatch(/archive's SHA-256 is not recorded \(04-agents\/backups\/milestones\/m1\.manifest\.json predates it\): only its entries were checked/);
    expect(JSON.parse((await ok(['backup', 'verify', 'm1', '--json'], o)).stdout).results[0]).toMatchObject({ ok: true, archive: 'not-recorded' });
  });
});
