import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch, specmapProject, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli, type CliResult } from '../support/cli.js';
import { fileHashes, sha256 } from '../support/state.js';

// Off-site copies an interrupted push left half-replaced, and local ZIPs damaged after they were written, against
// real rclone (its local backend: a plain folder). The interrupted states are reached deterministically: a kill
// point between push's two uploads (SPECMAP_TEST_KILL_AT), and, for the moments inside one rclone copy (it moves
// the replaced file to replaced/<stamp>/, then uploads the new one), the same files moved by hand.

const DAY = '2025-10-25';
const at = (time: string) => `${DAY}T${time}`;
const BACKUPS = '04-agents/backups';
const DAILY_ZIP = `${BACKUPS}/daily/${DAY}/backup.zip`;
const DAILY_MANIFEST = `${BACKUPS}/daily/${DAY}/manifest.json`;
const MILESTONE_ZIP = `${BACKUPS}/milestones/v1.0.zip`;
const json = (r: CliResult) => JSON.parse(r.stdout);
const noRcloneConfig = { RCLONE_CONFIG: '/dev/null' };

/** The project's backup ZIPs and records (not restored/ or damaged/ copies), project-relative → SHA-256. */
function backupFiles(repo: TestRepo): Map<string, string> {
  return new Map([...fileHashes(join(repo.dir, BACKUPS))].filter(([p]) => /^(sessions|daily|milestones)\//.test(p)).map(([p, h]) => [`${BACKUPS}/${p}`, h]));
}

/** A project with a session ZIP (at end), a daily backup and a milestone, all pushed to a fresh local folder. */
async function pushedProject(): Promise<{ repo: TestRepo; o: { cwd: string; env: NodeJS.ProcessEnv }; session: string; copy: string }> {
  const repo = specmapProject({ '01-specifications/auth.md': '# Auth spec\n' });
  const o = { cwd: repo.dir, env: { ...repo.env, ...noRcloneConfig } };
  const s = json(await ok(['start', 'authentication', '--json'], { ...o, now: at('09:00:00') }));
  repo.write('src/auth.js', 'export const login = () => true;\n');
  await ok(['checkpoint', '@', 'login works'], { ...o, now: at('10:00:00') });
  await ok(['end', '@', '8'], { ...o, now: at('11:00:00') });
  await ok(['backup', 'daily'], { ...o, now: at('12:00:00') });
  await ok(['backup', 'milestone', 'v1.0'], { ...o, now: at('12:30:00') });
  const copy = join(scratch('specmap-offsite-'), 'copy');
  await ok(['backup', 'offsite', 'push', copy], o);
  return { repo, o, session: s.session_id, copy };
}

/** A newer version of the day's backup and of the milestone, here. */
async function newerVersions(repo: TestRepo, o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  repo.write('01-specifications/auth.md', '# Auth spec, second version\n');
  await ok(['backup', 'daily'], { ...o, now: at('18:00:00') });
  await ok(['backup', 'milestone', 'v1.0', '--force'], { ...o, now: at('18:30:00') });
}

function flipByte(path: string): Buffer {
  const b = readFileSync(path);
  b[b.length - 30] ^= 0x20;
  writeFileSync(path, b);
  return b;
}

/** What rclone does to a remote file it replaces (--backup-dir): moved to replaced/<stamp>/, same layout. */
function moveToReplaced(copy: string, stamp: string, rel: string): void {
  const dest = join(copy, 'replaced', stamp, rel);
  mkdirSync(dirname(dest), { recursive: true });
  renameSync(join(copy, rel), dest);
}

type Verified = { kind: string; ok: boolean; remote: string; local: string; problems: { path: string; problem: string }[] };

describe('off-site: a push interrupted while it replaced a backup loses nothing', () => {
  it('killed between the ZIPs and their records: verify says where the whole copy is, and restore --from brings it back byte for byte', async () => {
    const { repo, o, session, copy } = await pushedProject();
    const first = { zip: readFileSync(join(repo.dir, DAILY_ZIP)), manifest: readFileSync(join(repo.dir, DAILY_MANIFEST)) };
    await newerVersions(repo, o);
    const newZip = readFileSync(join(repo.dir, DAILY_ZIP));

    const killed = await runCli(['backup', 'offsite', 'push', copy], { ...o, env: { ...o.env, SPECMAP_TEST_KILL_AT: 'offsite:zips-sent' } });
    expect(killed.code).toBe(-1);
    // The new ZIP is in place beside the old record; the old ZIP is whole in replaced/<stamp>/.
    const [stamp, ...more] = readdirSync(join(copy, 'replaced'));
    expect(more).toEqual([]);
    expect(readFileSync(join(copy, 'daily', DAY, 'backup.zip')).equals(newZip)).toBe(true);
    expect(readFileSync(join(copy, 'daily', DAY, 'manifest.json')).equals(first.manifest)).toBe(true);
    expect(readFileSync(join(copy, 'replaced', stamp!, 'daily', DAY, 'backup.zip')).equals(first.zip)).toBe(true);
    const remoteBefore = fileHashes(copy);

    const v = await runCli(['backup', 'offsite', 'verify', copy, '--json'], o);
    expect(v.code).toBe(6);
    expect(oneLineError(v)).toBe('specmap: 2 backups failed off-site verification');
    const by = Object.fromEntries((json(v).results as Verified[]).map((r) => [r.kind, r]));
    expect(by.session).toMatchObject({ ok: true, remote: 'match' });
    expect(by.daily).toMatchObject({ ok: false, remote: 'mismatch', local: 'differs' });
    const said = by.daily!.problems.map((p) => p.problem).join('\n');
    expect(said).toMatch(/the ZIP in place is not the one its record names \(a push interrupted while it replaced this backup\?\)/);
    expect(said).toMatch(new RegExp(`a copy of the version its record names \\(SHA-256 ${sha256(first.zip).slice(0, 16)}…\\) is kept here whole: fetch and restore --from take it`));
    expect(by.daily!.problems).toContainEqual(expect.objectContaining({ path: `replaced/${stamp}/` }));
    expect(said).not.toMatch(/damaged/);

    // Every local copy of the day's backup is lost: the remote's record and the ZIP kept in replaced/ are a whole one.
    rmSync(join(repo.dir, BACKUPS, 'daily'), { recursive: true });
    const d = json(await ok(['restore', '--restore-daily', DAY, '--from', copy, '--json'], o));
    expect(d).toMatchObject({ kind: 'daily', source: 'zip', fetched: [DAILY_MANIFEST, DAILY_ZIP] });
    expect(d.notes.join('\n')).toContain(`replaced/${stamp}/`);
    expect(readFileSync(join(repo.dir, DAILY_ZIP)).equals(first.zip)).toBe(true);
    expect(readFileSync(join(repo.dir, DAILY_MANIFEST)).equals(first.manifest)).toBe(true);
    expect(readFileSync(join(repo.dir, d.destination, '01-specifications/auth.md'), 'utf8')).toBe('# Auth spec\n');
    expect(fileHashes(copy)).toEqual(remoteBefore);

    // --rehash sees the mismatched pair (the two ZIPs may well have one size) and sends this machine's whole copy.
    await ok(['backup', 'offsite', 'push', copy, '--rehash'], o);
    expect(json(await ok(['backup', 'offsite', 'verify', copy, '--json'], o)).ok).toBe(true);

    // A push cut short between a session ZIP's two records: the one naming another version is reported, never taken.
    const sessions = `sessions/${session}-backup`;
    writeFileSync(join(copy, `${sessions}.zip.sha256`), `${'b'.repeat(64)}  ${session}-backup.zip\n`);
    const stray = json(await runCli(['backup', 'offsite', 'verify', copy, '--json'], o)).results[0] as Verified;
    expect(stray).toMatchObject({ kind: 'session', ok: false, remote: 'match' });
    expect(stray.problems).toContainEqual({ path: `${sessions}.zip.sha256`, problem: expect.stringMatching(/^does not record the SHA-256 of the ZIP beside it/) });
    for (const ext of ['zip', 'zip.sha256', 'manifest.json']) rmSync(join(repo.dir, BACKUPS, `${sessions}.${ext}`));
    const pulled = json(await ok(['backup', 'offsite', 'pull', copy, '--json'], o)).backups[0];
    expect(pulled).toMatchObject({ kind: 'session', action: 'fetched', reason: null, files: [`${BACKUPS}/${sessions}.manifest.json`, `${BACKUPS}/${sessions}.zip`] });
    expect(json(await ok(['backup', 'verify', session, '--json'], o)).ok).toBe(true);
  }, 60_000);

  it('killed inside an upload (by hand: moved, not yet replaced): pull takes the whole copy kept in replaced/, records and all', async () => {
    const { repo, o, session, copy } = await pushedProject();
    const first = backupFiles(repo);
    await newerVersions(repo, o);
    const stamp = '2025-10-25T18-45-00-000Z-4242';
    const sessions = `sessions/${session}-backup`;
    // daily: its ZIP moved aside, the new one not there yet; its old manifest still in place.
    moveToReplaced(copy, stamp, `daily/${DAY}/backup.zip`);
    // milestone: the new ZIP in, then its old manifest moved aside and the new one not written: no record in place.
    moveToReplaced(copy, stamp, 'milestones/v1.0.zip');
    writeFileSync(join(copy, 'milestones', 'v1.0.zip'), readFileSync(join(repo.dir, MILESTONE_ZIP)));
    moveToReplaced(copy, stamp, 'milestones/v1.0.manifest.json');
    // session: a new ZIP and its new .sha256 in, the old manifest (naming the old ZIP) not replaced yet.
    const newer = Buffer.concat([readFileSync(join(copy, `${sessions}.zip`)), Buffer.from('another version')]);
    moveToReplaced(copy, stamp, `${sessions}.zip`);
    writeFileSync(join(copy, `${sessions}.zip`), newer);
    moveToReplaced(copy, stamp, `${sessions}.zip.sha256`);
    writeFileSync(join(copy, `${sessions}.zip.sha256`), `${sha256(newer)}  ${session}-backup.zip\n`);
    const remoteBefore = fileHashes(copy);

    for (const d of ['sessions', 'daily', 'milestones']) rmSync(join(repo.dir, BACKUPS, d), { recursive: true, force: true });
    const pulled = json(await ok(['backup', 'offsite', 'pull', copy, '--json'], o));
    expect(pulled.ok).toBe(true);
    const by = Object.fromEntries(pulled.backups.map((b: { kind: string; action: string; reason: string }) => [b.kind, [b.action, b.reason]]));
    const kept = `fetched instead the whole copy kept in ${copy}/replaced/${stamp}/`;
    expect(by.session).toEqual(['fetched', expect.stringContaining(`does not match its record (SHA-256 ${sha256(newer).slice(0, 16)}…`)]);
    expect(by.session[1]).toContain(kept);
    expect(by.daily).toEqual(['fetched', expect.stringMatching(/daily\/2025-10-25\/backup\.zip is not there, only its records \(an interrupted push\?\)/)]);
    expect(by.daily[1]).toContain(kept);
    expect(by.milestone).toEqual(['fetched', expect.stringMatching(/no record of the ZIP's SHA-256/)]);
    expect(by.milestone[1]).toContain(`${kept} (the version an interrupted push was replacing, SHA-256`);
    // The first versions, byte for byte, each ZIP with its own records (never the session's newer .sha256).
    expect(backupFiles(repo)).toEqual(first);
    // (The day's and the milestone's git copies here are of the newer versions, so only the session is checked whole.)
    expect(json(await ok(['backup', 'verify', session, '--json'], o)).ok).toBe(true);
    expect(fileHashes(copy)).toEqual(remoteBefore);

    const v = await runCli(['backup', 'offsite', 'verify', copy, '--json'], o);
    expect(v.code).toBe(6);
    const results = json(v).results as Verified[];
    expect(results.map((r) => [r.kind, r.ok, r.remote])).toEqual([['session', false, 'mismatch'], ['daily', false, 'missing'], ['milestone', false, 'not-recorded']]);
    for (const r of results) expect(r.problems).toContainEqual({ path: `replaced/${stamp}/`, problem: expect.stringMatching(/is kept here whole: fetch and restore --from take it; `backup offsite push --rehash`/) });
    expect(results.find((r) => r.kind === 'milestone')!.problems.find((p) => p.path.startsWith('replaced/'))!.problem).toMatch(/^the version an interrupted push was replacing/);
  }, 60_000);
});

describe('off-site: restore --from does not trust a local ZIP that fails its record', () => {
  it('moves the damaged ZIP aside with its records, fetches the good remote copy and restores from it, byte for byte', async () => {
    const { repo, o, session, copy } = await pushedProject();
    const good = backupFiles(repo);
    const sessionZip = `${BACKUPS}/sessions/${session}-backup.zip`;
    const damagedSession = flipByte(join(repo.dir, sessionZip));
    const damagedDaily = flipByte(join(repo.dir, DAILY_ZIP));

    const s = json(await ok(['restore', '--restore-backup', session, '--from', copy, '--json'], o));
    expect(s).toMatchObject({ session_id: session, backup: sessionZip });
    expect(s.fetched).toEqual([`${sessionZip}.sha256`, `${BACKUPS}/sessions/${session}-backup.manifest.json`, sessionZip]);
    const restored = fileHashes(join(repo.dir, s.destination));
    expect([...restored].filter(([p]) => /^snapshots\/[^/]+\/src\/auth\.js$/.test(p)).map(([, h]) => h)).toEqual([sha256(Buffer.from('export const login = () => true;\n'))]);

    const d = json(await ok(['restore', '--restore-daily', DAY, '--from', copy, '--json'], o));
    expect(d).toMatchObject({ source: 'zip', fetched: [DAILY_MANIFEST, DAILY_ZIP] });
    expect(d.notes.join('\n')).toMatch(/damaged\//);
    expect(readFileSync(join(repo.dir, d.destination, '01-specifications/auth.md'), 'utf8')).toBe('# Auth spec\n');

    // The good bytes are back in place; the damaged ones, with the records they sat beside, are kept in damaged/.
    expect(backupFiles(repo)).toEqual(good);
    const aside = readdirSync(join(repo.dir, BACKUPS, 'damaged'));
    expect(aside).toHaveLength(2);
    const kept = new Map([...aside].flatMap((a) => [...fileHashes(join(repo.dir, BACKUPS, 'damaged', a))].map(([p, h]) => [`${BACKUPS}/${p}`, h])));
    expect(kept).toEqual(new Map([...good].map(([p, h]) => [p, p === sessionZip ? sha256(damagedSession) : p === DAILY_ZIP ? sha256(damagedDaily) : h]).filter(([p]) => !p.includes('milestones/'))));
    expect(json(await ok(['backup', 'verify', '--json'], o)).ok).toBe(true);
    expect(json(await ok(['backup', 'offsite', 'pull', copy, '--json'], o)).backups.map((b: { action: string }) => b.action)).toEqual(['present', 'present', 'present']);

    // Damaged here and on the remote: nothing is moved; the milestone comes back from its git copy, with why.
    const damagedHere = flipByte(join(repo.dir, MILESTONE_ZIP));
    flipByte(join(copy, 'milestones', 'v1.0.zip'));
    const m = json(await ok(['restore', '--restore-milestone', 'v1.0', '--from', copy, '--json'], o));
    expect(m).toMatchObject({ source: 'git', fetched: [] });
    expect(m.notes[0]).toMatch(/^the off-site copy was not used: 04-agents\/backups\/milestones\/v1\.0\.zip here fails its record \(left as it is\), and .*v1\.0\.zip does not match its record/);
    expect(readFileSync(join(repo.dir, MILESTONE_ZIP)).equals(damagedHere)).toBe(true);
    expect(readdirSync(join(repo.dir, BACKUPS, 'damaged'))).toHaveLength(2);
  }, 60_000);
});
