import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapProject, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { writeRawZip, type RawEntry } from '../support/zip-fixtures.js';

/**
 * `backup verify` and every restore apply the same checks (storage/zip/entry-check.ts for the archive's structure,
 * domain/backup/archive-checks.ts for its record): what restore refuses, verify fails (issue #18, items 1 and 3).
 */

const DAY = '2025-10-25';
const ACTIVE = '04-agents/sessions/active';
const SESSIONS = '04-agents/backups/sessions';
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const project = () => specmapProject({ '01-specifications/auth.md': '# Auth spec\n' });

interface Verified { kind: string; name: string; ok: boolean; archive: string; problems: { path: string; problem: string }[]; notes: string[] }

async function verifyJson(repo: TestRepo, target?: string): Promise<Verified[]> {
  const r = await runCli(['backup', 'verify', ...(target ? [target] : []), '--json'], { cwd: repo.dir, env: repo.env });
  return JSON.parse(r.stdout).results as Verified[];
}

/** An ended session; its ZIP's records (manifest and .sha256) removed when `bare`, as an old or tampered ZIP has none. */
async function endedSession(repo: TestRepo, bare: boolean): Promise<{ id: string; zip: string }> {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'work'], o);
  const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
  const zip = join(repo.dir, ended.backup.path as string);
  const id = ended.session_id as string;
  if (bare) {
    rmSync(join(repo.dir, SESSIONS, `${id}-backup.manifest.json`), { force: true });
    rmSync(`${zip}.sha256`, { force: true });
  }
  return { id, zip };
}

/** Offset of `name` in the central directory (which starts where the end record, the last 22 bytes, says). */
function centralName(zip: Buffer, name: string): number {
  const cdStart = zip.readUInt32LE(zip.length - 22 + 16);
  const found = zip.indexOf(Buffer.from(name), cdStart);
  expect(found, `${name} in the central directory`).toBeGreaterThan(cdStart);
  return found;
}

describe('verify and restore apply the same entry checks', () => {
  it('a central-directory name flip (summary.md → sulmary.md) fails verify and restore, even without any recorded hash', async () => {
    const repo = project();
    const { id, zip } = await endedSession(repo, true);
    const bytes = readFileSync(zip);
    const at = centralName(bytes, 'summary.md');
    bytes[at + 2] = 'l'.charCodeAt(0);
    writeFileSync(zip, bytes);

    const [r] = await verifyJson(repo, id);
    expect(r!.ok).toBe(false);
    expect(r!.problems.map((p) => p.problem).join('\n')).toMatch(/entry "sulmary\.md": the local header names it "summary\.md"/);
    const restore = await runCli(['restore', '--restore-backup', id], { cwd: repo.dir, env: repo.env });
    expect(restore.code).toBe(6);
    expect(oneLineError(restore)).toMatch(/the local header names it "summary\.md"/);
    expect(existsSync(join(repo.dir, ACTIVE, `${id}-restored`))).toBe(false);
  });

  it('a central-directory mode flip that makes a file executable fails verify through the manifest', async () => {
    const repo = project();
    const { id, zip } = await endedSession(repo, false);
    // Drop the whole-archive hash from both records: only the per-file records can see a mode change.
    const mf = join(repo.dir, SESSIONS, `${id}-backup.manifest.json`);
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    delete m.archive_sha256;
    writeFileSync(mf, JSON.stringify(m));
    rmSync(`${zip}.sha256`);
    expect((await verifyJson(repo, id))[0]!.ok).toBe(true);
    const bytes = readFileSync(zip);
    const nameAt = centralName(bytes, 'summary.md');
    // The external attributes sit 46 - 38 = 8 bytes before the name's end of the fixed header; mode in the top half.
    const attrs = nameAt - 46 + 38;
    expect((bytes.readUInt32LE(attrs) >>> 16) & 0o777).toBe(0o644);
    bytes[attrs + 2] |= 0o100; // the owner's x bit
    writeFileSync(zip, bytes);
    const [r] = await verifyJson(repo, id);
    expect(r!.ok).toBe(false);
    expect(r!.problems).toContainEqual({ path: 'summary.md', problem: 'mode 100755 in the ZIP, 100644 in the manifest' });
  });

  it('refuses duplicate entry names instead of letting the last one win', async () => {
    const repo = project();
    await ok(['init'], { cwd: repo.dir, env: repo.env });
    const name = '2025-10-25-session-001-dup';
    writeRawZip(join(repo.dir, SESSIONS, `${name}-backup.zip`), [
      { name: 'session.yaml', data: 'first' }, { name: 'notes/a.md', data: 'a' }, { name: 'session.yaml', data: 'second' },
    ]);
    const [r] = await verifyJson(repo, name);
    expect(r!.ok).toBe(false);
    expect(r!.problems[0]!.problem).toMatch(/entry "session\.yaml": appears twice in the archive/);
    const restore = await runCli(['restore', '--restore-backup', name], { cwd: repo.dir, env: repo.env });
    expect(restore.code).toBe(6);
    expect(oneLineError(restore)).toMatch(/appears twice/);
    expect(readdirSync(join(repo.dir, ACTIVE))).toEqual([]);
  });

  it.each<[string, RawEntry[], RegExp]>([
    ['a .git/config entry', [{ name: '.git/config', data: '[core]\n\tfsmonitor = touch /tmp/pwned\n' }], /unsafe name \(it is inside \.git\)/],
    ['a .GIT/ entry in another case', [{ name: '.GIT/config', data: 'x' }], /unsafe name \(it is inside \.git\)/],
    ['a nested repository', [{ name: 'sub/.git/hooks/post-checkout', data: '#!/bin/sh\n', unixMode: 0o100755 }], /unsafe name \(it is inside \.git\)/],
    ['a .git reached through ..', [{ name: 'x/../.git/config', data: 'x' }], /unsafe name \(it has a '\.\.' component\)/],
    ['a ./ component', [{ name: './notes/a.md', data: 'x' }], /unsafe name \(it has an empty or '\.' component\)/],
    ['an absolute name', [{ name: '/tmp/abs.txt', data: 'x' }], /unsafe name \(it is an absolute path\)/],
    ['a file and a folder of one name', [{ name: 'notes', data: 'x' }, { name: 'notes/a.md', data: 'y' }], /lies inside "notes", which is a file/],
    ['an entry through a symbolic link', [{ name: 'snapshots/l', data: '/etc', unixMode: 0o120777 }, { name: 'snapshots/l/passwd', data: 'x' }], /lies inside "snapshots\/l", which is a file \(or link\)/],
    ['a symbolic link outside snapshots/', [{ name: 'link', data: '/etc', unixMode: 0o120777 }], /symbolic link/],
    ['a device file', [{ name: 'dev', data: '', unixMode: 0o020644 }], /unsupported file type/],
  ])('%s: restore refuses it and verify fails it', async (_label, entries, message) => {
    const repo = project();
    await ok(['init'], { cwd: repo.dir, env: repo.env });
    const name = '2025-10-25-session-001-evil';
    writeRawZip(join(repo.dir, SESSIONS, `${name}-backup.zip`), [{ name: 'session.yaml', data: 'x' }, ...entries]);
    const restore = await runCli(['restore', '--restore-backup', name], { cwd: repo.dir, env: repo.env });
    expect(restore.code).toBe(6);
    expect(oneLineError(restore)).toMatch(message);
    expect(readdirSync(join(repo.dir, ACTIVE))).toEqual([]);
    const [r] = await verifyJson(repo, name);
    expect(r!.ok).toBe(false);
    expect(r!.problems.map((p) => p.problem).join('\n')).toMatch(message);
  });

  it('restore --restore-daily checks the manifest first: a file whose SHA-256 differs is not restored from the ZIP', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], { ...o, now: `${DAY}T12:00:00` });
    const mf = join(repo.dir, `04-agents/backups/daily/${DAY}/manifest.json`);
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    const f = m.files.find((x: { path: string }) => x.path === '01-specifications/auth.md');
    f.sha256 = sha256('something else\n');
    writeFileSync(mf, JSON.stringify(m));

    const fallback = await ok(['restore', '--restore-daily', DAY, '--to', 'out', '--json'], o);
    expect(JSON.parse(fallback.stdout).source).toBe('git');
    expect(fallback.stderr).toMatch(/does not match its record: 01-specifications\/auth\.md: SHA-256 differs from the manifest/);
    expect(readFileSync(join(repo.dir, 'out/01-specifications/auth.md'), 'utf8')).toBe('# Auth spec\n');

    // Without the git copy there is nothing trustworthy to restore: refused, nothing written.
    repo.git('update-ref', '-d', `refs/backups/daily/${DAY}`);
    const refused = await runCli(['restore', '--restore-daily', DAY, '--to', 'out2'], o);
    expect(refused.code).toBe(6);
    expect(oneLineError(refused)).toMatch(/SHA-256 differs from the manifest/);
    expect(existsSync(join(repo.dir, 'out2'))).toBe(false);
    // A changed archive is refused before any entry is read.
    m.files.find((x: { path: string }) => x.path === '01-specifications/auth.md').sha256 = sha256('# Auth spec\n');
    m.archive_sha256 = sha256('not the archive');
    writeFileSync(mf, JSON.stringify(m));
    const changed = await runCli(['restore', '--restore-daily', DAY, '--to', 'out3'], o);
    expect(changed.code).toBe(6);
    expect(oneLineError(changed)).toMatch(/does not match its record: .*backup\.zip: the archive's SHA-256 is/);
  });

  it('a session ZIP gets a manifest beside it, verify and restore check it, and an old ZIP without one verifies by CRC with a note', async () => {
    const repo = project();
    const { id, zip } = await endedSession(repo, false);
    const m = JSON.parse(readFileSync(join(repo.dir, SESSIONS, `${id}-backup.manifest.json`), 'utf8'));
    const zipBytes = readFileSync(zip);
    expect(m).toMatchObject({ session: id, zip: `${SESSIONS}/${id}-backup.zip`, archive_sha256: sha256(zipBytes), archive_bytes: zipBytes.length });
    const yaml = m.files.find((f: { path: string }) => f.path === 'session.yaml');
    expect(yaml).toMatchObject({ mode: '100644' });
    expect(yaml.sha256).toBe(sha256(readFileSync(join(repo.dir, `04-agents/sessions/archive/${id}/session.yaml`))));
    expect((await verifyJson(repo, id))[0]).toMatchObject({ ok: true, archive: 'match', notes: [] });

    // A manifest that disagrees with the ZIP: verify fails, restore refuses.
    yaml.sha256 = sha256('other');
    const mf = join(repo.dir, SESSIONS, `${id}-backup.manifest.json`);
    writeFileSync(mf, JSON.stringify(m));
    const bad = await verifyJson(repo, id);
    expect(bad[0]!.problems).toContainEqual({ path: 'session.yaml', problem: 'SHA-256 differs from the manifest' });
    const restore = await runCli(['restore', '--restore-backup', id], { cwd: repo.dir, env: repo.env });
    expect(restore.code).toBe(6);
    expect(oneLineError(restore)).toMatch(/does not match its record/);

    rmSync(mf);
    rmSync(`${zip}.sha256`);
    const old = (await verifyJson(repo, id))[0]!;
    expect(old).toMatchObject({ ok: true, archive: 'not-recorded' });
    expect(old.notes.join('\n')).toMatch(/written before specmap recorded one\): files checked by their CRCs only/);
    await ok(['restore', '--restore-backup', id], { cwd: repo.dir, env: repo.env });
  });
});
