import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, specmapProject, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli, type CliResult } from '../support/cli.js';
import { fileHashes, sha256 } from '../support/state.js';

// Off-site backups against real rclone: its own WebDAV server (`rclone serve webdav`, bound to 127.0.0.1 on a port
// the system picks, started and stopped here) and its local backend (a plain folder). Nothing else is contacted.

const DAY = '2025-10-25';
const at = (time: string) => `${DAY}T${time}`;
const BACKUPS = '04-agents/backups';

/** Nothing the remote held is gone: every content it had is still there (in place or kept in replaced/). */
function nothingLost(before: Map<string, string>, after: Map<string, string>): void {
  const kept = new Set(after.values());
  expect([...before].filter(([, h]) => !kept.has(h)).map(([p]) => p)).toEqual([]);
}

interface Served {
  url: string;
  stop: () => Promise<void>;
}

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
});

/** `rclone serve webdav` on 127.0.0.1 with a port the system picks, read back from its log; bounded start-up. */
function serveWebdav(root: string, env: NodeJS.ProcessEnv): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn('rclone', ['serve', 'webdav', '--addr', '127.0.0.1:0', '--dir-cache-time', '0s', root], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    servers.push(child);
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rclone serve webdav did not start within 30 s:\n${log}`));
    }, 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString('utf8');
      const m = /WebDav Server started on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (!m) return;
      clearTimeout(timer);
      const stop = () => new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
      resolve({ url: m[1]!, stop });
    });
  });
}

/** An rclone config in a scratch folder: `dav` is the WebDAV server at `url`. */
function rcloneConfig(url: string): string {
  const path = join(scratch('specmap-rclone-'), 'rclone.conf');
  writeFileSync(path, `[dav]\ntype = webdav\nurl = ${url}\nvendor = other\n`);
  return path;
}

/** A SpecMap project with one of each backup: a session ZIP (at end), a daily backup and a milestone. */
async function projectWithBackups(env: Record<string, string>): Promise<{ repo: TestRepo; o: { cwd: string; env: NodeJS.ProcessEnv }; session: string }> {
  const repo = specmapProject({ '01-specifications/auth.md': '# Auth spec\n' });
  const o = { cwd: repo.dir, env: { ...repo.env, ...env } };
  const s = JSON.parse((await ok(['start', 'authentication', '--json'], { ...o, now: at('09:00:00') })).stdout);
  repo.write('src/auth.js', 'export const login = () => true;\n');
  await ok(['checkpoint', '@', 'login works'], { ...o, now: at('10:00:00') });
  await ok(['end', '@', '8'], { ...o, now: at('11:00:00') });
  await ok(['backup', 'daily'], { ...o, now: at('12:00:00') });
  await ok(['backup', 'milestone', 'v1.0'], { ...o, now: at('12:30:00') });
  return { repo, o, session: s.session_id };
}

const sessionZip = (id: string) => `${BACKUPS}/sessions/${id}-backup.zip`;
const DAILY_ZIP = `${BACKUPS}/daily/${DAY}/backup.zip`;
const MILESTONE_ZIP = `${BACKUPS}/milestones/v1.0.zip`;

/** Every ZIP, manifest and checksum of the project's backups, project-relative → bytes. */
function backupFiles(repo: TestRepo): Map<string, string> {
  const all = fileHashes(join(repo.dir, BACKUPS));
  return new Map([...all].filter(([p]) => !p.startsWith('restored/')).map(([p, h]) => [`${BACKUPS}/${p}`, h]));
}

function loseEveryZip(repo: TestRepo): void {
  for (const d of ['sessions', 'daily', 'milestones']) rmSync(join(repo.dir, BACKUPS, d), { recursive: true, force: true });
}

/** No temp file under 04-agents/ and no off-site scratch folder in the git dir. */
function noLeftovers(repo: TestRepo): void {
  const temps = [...fileHashes(join(repo.dir, '04-agents')).keys()].filter((p) => /\.specmap-\d+-\d+\.tmp/.test(p));
  expect(temps).toEqual([]);
  const specmapDir = join(repo.dir, '.git', 'specmap');
  expect(existsSync(specmapDir) ? readdirSync(specmapDir).filter((n) => n.startsWith('offsite.')) : []).toEqual([]);
}

const json = (r: CliResult) => JSON.parse(r.stdout);

describe('off-site backups over WebDAV (rclone serve webdav on 127.0.0.1)', () => {
  let served: Served;
  let davRoot: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    davRoot = scratch('specmap-webdav-');
    served = await serveWebdav(davRoot, { ...process.env, RCLONE_CONFIG: '/dev/null' });
    env = { RCLONE_CONFIG: rcloneConfig(served.url) };
  }, 40_000);
  afterAll(async () => served?.stop());

  it('pushes every backup with its records, skips them the second time, and restores all of them once every local ZIP is lost', async () => {
    const { repo, o, session } = await projectWithBackups(env);
    const remote = 'dav:offsite/acme';
    const onRemote = join(davRoot, 'offsite', 'acme');
    const local = backupFiles(repo);

    const pushed = json(await ok(['backup', 'offsite', 'push', remote, '--json'], o));
    expect(pushed).toMatchObject({ remote, ok: true, replaced_dir: null, replaced: [], check: { files: 7, sizes_only: true, problems: [] } });
    expect(pushed.backups.map((b: { kind: string; name: string; action: string }) => [b.kind, b.name, b.action])).toEqual([
      ['session', session, 'uploaded'], ['daily', DAY, 'uploaded'], ['milestone', 'v1.0', 'uploaded'],
    ]);
    // The remote holds the same bytes, in 04-agents/backups/'s layout.
    expect(new Map([...fileHashes(onRemote)].map(([p, h]) => [`${BACKUPS}/${p}`, h]))).toEqual(local);

    const again = json(await ok(['backup', 'offsite', 'push', remote, '--json'], o));
    expect(again.backups.map((b: { action: string; files: string[] }) => [b.action, b.files])).toEqual([['already-there', []], ['already-there', []], ['already-there', []]]);
    expect(fileHashes(onRemote).size).toBe(7);

    const verified = json(await ok(['backup', 'offsite', 'verify', remote, '--json'], o));
    expect(verified.ok).toBe(true);
    expect(verified.results.map((r: { remote: string; local: string }) => [r.remote, r.local])).toEqual([['match', 'same'], ['match', 'same'], ['match', 'same']]);
    expect(verified.notes.join(' ')).toMatch(/sizes only/);

    loseEveryZip(repo);
    expect(json(await ok(['backup', 'offsite', 'list', remote, '--json'], o)).backups.map((b: { local: string; remote: string }) => [b.local, b.remote]))
      .toEqual([['missing', 'present'], ['missing', 'present'], ['missing', 'present']]);
    const remoteBefore = fileHashes(onRemote);

    const s = json(await ok(['restore', '--restore-backup', session.slice(0, 22), '--from', remote, '--json'], o));
    expect(s).toMatchObject({ session_id: session, backup: sessionZip(session), files: expect.any(Number) });
    expect(s.fetched).toEqual([`${sessionZip(session)}.sha256`, `${BACKUPS}/sessions/${session}-backup.manifest.json`, sessionZip(session)]);
    expect(readFileSync(join(repo.dir, s.destination, 'session.yaml'), 'utf8')).toMatch(/focus: "?authentication/);
    const restored = fileHashes(join(repo.dir, s.destination));
    expect([...restored.keys()].filter((p) => /^snapshots\/[^/]+\/src\/auth\.js$/.test(p)).map((p) => restored.get(p))).toEqual([sha256(Buffer.from('export const login = () => true;\n'))]);

    const d = json(await ok(['restore', '--restore-daily', DAY, '--from', remote, '--json'], o));
    expect(d).toMatchObject({ kind: 'daily', source: 'zip', fetched: [`${BACKUPS}/daily/${DAY}/manifest.json`, DAILY_ZIP] });
    expect(readFileSync(join(repo.dir, d.destination, '01-specifications/auth.md'), 'utf8')).toBe('# Auth spec\n');

    const m = json(await ok(['restore', '--restore-milestone', 'v1.0', '--from', remote, '--json'], o));
    expect(m).toMatchObject({ kind: 'milestone', source: 'zip', fetched: [`${BACKUPS}/milestones/v1.0.manifest.json`, MILESTONE_ZIP] });
    expect(readFileSync(join(repo.dir, m.destination, 'src/auth.js'), 'utf8')).toBe('export const login = () => true;\n');

    // Every ZIP and record is back, byte for byte, and passes the local checks; the remote is as it was.
    expect(backupFiles(repo)).toEqual(local);
    expect(json(await ok(['backup', 'verify', '--json'], o)).ok).toBe(true);
    expect(fileHashes(onRemote)).toEqual(remoteBefore);
    noLeftovers(repo);
  }, 120_000);

  it('keeps a replaced remote copy in replaced/ and re-sends a remote ZIP damaged after it was sent (--rehash)', async () => {
    const { repo, o } = await projectWithBackups(env);
    const remote = 'dav:rehash';
    const onRemote = join(davRoot, 'rehash');
    await ok(['backup', 'offsite', 'push', remote], o);
    const firstDaily = readFileSync(join(onRemote, 'daily', DAY, 'backup.zip'));
    let before = fileHashes(onRemote);

    // The same day's backup again, changed: the remote's older one is moved aside, not overwritten.
    repo.write('TRACKING.md', '# Tracking, later\n');
    await ok(['backup', 'daily'], { ...o, now: at('18:00:00') });
    const second = json(await ok(['backup', 'offsite', 'push', remote, '--json'], o));
    expect(second.backups.find((b: { kind: string }) => b.kind === 'daily').action).toBe('uploaded');
    expect(second.replaced).toEqual([`daily/${DAY}/backup.zip`, `daily/${DAY}/manifest.json`]);
    expect(second.replaced_dir).toMatch(/^replaced\/[\dT-]+Z-\d+$/);
    expect(readFileSync(join(onRemote, second.replaced_dir, 'daily', DAY, 'backup.zip')).equals(firstDaily)).toBe(true);
    expect(readFileSync(join(onRemote, 'daily', DAY, 'backup.zip')).equals(readFileSync(join(repo.dir, DAILY_ZIP)))).toBe(true);
    nothingLost(before, fileHashes(onRemote));

    // A byte of the remote milestone flips (same size: WebDAV's size check cannot see it; the hash does).
    const zip = join(onRemote, 'milestones', 'v1.0.zip');
    const bytes = readFileSync(zip);
    bytes[40] ^= 0x01;
    writeFileSync(zip, bytes);
    const bad = await runCli(['backup', 'offsite', 'verify', remote, '--json'], o);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toBe('specmap: 1 backup failed off-site verification');
    const milestone = json(bad).results.find((r: { kind: string }) => r.kind === 'milestone');
    expect(milestone).toMatchObject({ ok: false, remote: 'mismatch', local: 'same' });
    expect(milestone.problems[0].problem).toMatch(/the off-site copy is damaged/);

    // A plain push trusts the matching record; --rehash hashes the remote ZIPs and sends the damaged one again.
    expect(json(await ok(['backup', 'offsite', 'push', remote, '--json'], o)).backups.every((b: { action: string }) => b.action === 'already-there')).toBe(true);
    before = fileHashes(onRemote);
    const fixed = json(await ok(['backup', 'offsite', 'push', remote, '--rehash', '--json'], o));
    expect(fixed.backups.map((b: { kind: string; action: string }) => [b.kind, b.action])).toEqual([['session', 'already-there'], ['daily', 'already-there'], ['milestone', 'uploaded']]);
    expect(readFileSync(join(onRemote, fixed.replaced_dir, 'milestones', 'v1.0.zip')).equals(bytes)).toBe(true);
    nothingLost(before, fileHashes(onRemote));
    expect(json(await ok(['backup', 'offsite', 'verify', remote, '--json'], o)).ok).toBe(true);
  }, 120_000);

  it('refuses a damaged remote ZIP: a session restore stops with one line and writes nothing; a milestone falls back to its git copy', async () => {
    const { repo, o, session } = await projectWithBackups(env);
    const remote = 'dav:damaged';
    const onRemote = join(davRoot, 'damaged');
    await ok(['backup', 'offsite', 'push', remote], o);
    for (const rel of [`sessions/${session}-backup.zip`, 'milestones/v1.0.zip']) {
      const p = join(onRemote, rel);
      const b = readFileSync(p);
      b[b.length - 30] ^= 0x20;
      writeFileSync(p, b);
    }
    loseEveryZip(repo);
    const remoteBefore = fileHashes(onRemote);

    const r = await runCli(['restore', '--restore-backup', session, '--from', remote], o);
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(new RegExp(`cannot fetch session backup ${session}: dav:damaged/sessions/${session}-backup.zip does not match its record`));
    expect(existsSync(join(repo.dir, sessionZip(session)))).toBe(false);
    expect(existsSync(join(repo.dir, '04-agents/sessions/active', `${session}-restored`))).toBe(false);

    const m = await runCli(['restore', '--restore-milestone', 'v1.0', '--from', remote, '--json'], o);
    expect(m.code).toBe(0);
    expect(json(m)).toMatchObject({ source: 'git', fetched: [] });
    expect(json(m).notes[0]).toMatch(/the off-site copy was not used: .*v1\.0\.zip does not match its record/);
    expect(existsSync(join(repo.dir, MILESTONE_ZIP))).toBe(false);

    const pull = await runCli(['backup', 'offsite', 'pull', remote, '--json'], o);
    expect(pull.code).toBe(6);
    expect(json(pull).backups.map((b: { kind: string; action: string }) => [b.kind, b.action])).toEqual([['session', 'skipped'], ['daily', 'fetched'], ['milestone', 'skipped']]);
    expect([...backupFiles(repo).keys()]).toEqual([`${BACKUPS}/daily/${DAY}/backup.zip`, `${BACKUPS}/daily/${DAY}/manifest.json`]);
    expect(fileHashes(onRemote)).toEqual(remoteBefore);
    noLeftovers(repo);
  }, 120_000);

  it('says in one line when the server cannot be reached (exit 9, RCLONE_FAILED)', async () => {
    const { o } = await projectWithBackups(env);
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const conf = join(scratch('specmap-rclone-'), 'rclone.conf');
    writeFileSync(conf, `[gone]\ntype = webdav\nurl = http://127.0.0.1:${port}/\nvendor = other\n`);
    const r = await runCli(['backup', 'offsite', 'push', 'gone:x', '--json'], {
      ...o, env: { ...o.env, RCLONE_CONFIG: conf, RCLONE_RETRIES: '1', RCLONE_LOW_LEVEL_RETRIES: '1', RCLONE_CONTIMEOUT: '5s' },
    });
    expect(r.code).toBe(9);
    expect(oneLineError(r)).toMatch(/^specmap: rclone lsjson failed: .*connection refused/);
    expect(json(r).error.code).toBe('RCLONE_FAILED');
  }, 60_000);
});

describe("off-site backups to rclone's local backend", () => {
  it('pushes to the configured folder, and pull fetches every lost ZIP with its records, byte for byte', async () => {
    const { repo, o } = await projectWithBackups({ RCLONE_CONFIG: '/dev/null' });
    const copy = join(scratch('specmap-offsite-'), 'copy');
    repo.write('04-agents/config.yaml', `backup:\n  offsite: ${copy}\n`);
    const local = backupFiles(repo);
    const pushed = json(await ok(['backup', 'offsite', 'push', '--json'], o));
    expect(pushed).toMatchObject({ remote: copy, ok: true, check: { files: 7, sizes_only: false, problems: [] } });
    expect(fileHashes(copy).size).toBe(7);

    loseEveryZip(repo);
    // What a killed off-site command left in the git dir is removed by the next command (its pid is gone).
    const left = join(repo.dir, '.git', 'specmap', 'offsite.999999999.1');
    mkdirSync(join(left, 'fetch'), { recursive: true });
    writeFileSync(join(left, 'fetch', 'half.zip'), 'half a download');
    const pulled = json(await ok(['backup', 'offsite', 'pull', '--json'], o));
    expect(existsSync(left)).toBe(false);
    expect(pulled.ok).toBe(true);
    expect(pulled.backups.map((b: { action: string }) => b.action)).toEqual(['fetched', 'fetched', 'fetched']);
    expect(backupFiles(repo)).toEqual(local);
    expect(json(await ok(['backup', 'verify', '--json'], o)).ok).toBe(true);

    // Nothing is missing any more: a second pull writes nothing, and a bare --from takes the configured copy.
    const stamp = statSync(join(repo.dir, DAILY_ZIP)).mtimeMs;
    expect(json(await ok(['backup', 'offsite', 'pull', '--json'], o)).backups.map((b: { action: string }) => b.action)).toEqual(['present', 'present', 'present']);
    const d = json(await ok(['restore', '--restore-daily', DAY, '--from', '--json'], o));
    expect(d).toMatchObject({ source: 'zip', fetched: [] });
    expect(statSync(join(repo.dir, DAILY_ZIP)).mtimeMs).toBe(stamp);
    noLeftovers(repo);
  }, 120_000);

  it("leaves alone what it cannot vouch for: a remote ZIP without its record, and a local record of another version", async () => {
    const { repo, o } = await projectWithBackups({ RCLONE_CONFIG: '/dev/null' });
    const copy = join(scratch('specmap-offsite-'), 'copy');
    await ok(['backup', 'offsite', 'push', copy], o);
    // An interrupted push: the ZIP got there, its manifest did not.
    rmSync(join(copy, 'milestones', 'v1.0.manifest.json'));
    loseEveryZip(repo);
    const list = json(await ok(['backup', 'offsite', 'list', copy, '--json'], o));
    expect(list.backups.find((b: { kind: string }) => b.kind === 'milestone')).toMatchObject({ local: 'missing', remote: 'incomplete', remote_sha256: null });
    // The day's manifest survived locally but names another version than the remote one.
    mkdirSync(join(repo.dir, BACKUPS, 'daily', DAY), { recursive: true });
    const other = JSON.parse(readFileSync(join(copy, 'daily', DAY, 'manifest.json'), 'utf8'));
    writeFileSync(join(repo.dir, BACKUPS, 'daily', DAY, 'manifest.json'), JSON.stringify({ ...other, archive_sha256: 'a'.repeat(64) }));

    const pull = await runCli(['backup', 'offsite', 'pull', copy, '--json'], o);
    expect(pull.code).toBe(6);
    const by = Object.fromEntries(json(pull).backups.map((b: { kind: string; action: string; reason: string | null }) => [b.kind, [b.action, b.reason]]));
    expect(by.session[0]).toBe('fetched');
    expect(by.daily).toEqual(['skipped', expect.stringMatching(/records another version/)]);
    expect(by.milestone).toEqual(['skipped', expect.stringMatching(/no record of the ZIP's SHA-256/)]);
    expect(existsSync(join(repo.dir, DAILY_ZIP))).toBe(false);
    expect(existsSync(join(repo.dir, MILESTONE_ZIP))).toBe(false);

    const v = await runCli(['backup', 'offsite', 'verify', copy, '--json'], o);
    expect(v.code).toBe(6);
    expect(json(v).results.find((r: { kind: string }) => r.kind === 'milestone')).toMatchObject({ remote: 'not-recorded', local: 'missing' });
  }, 120_000);

  it('refuses bad remotes and a missing rclone with one line, writing nothing', async () => {
    const { repo, o } = await projectWithBackups({ RCLONE_CONFIG: '/dev/null' });
    const before = backupFiles(repo);
    const nowhere = join(scratch('specmap-offsite-'), 'never-written');
    const cases: [string[], Record<string, string>, number, RegExp, string][] = [
      [['backup', 'offsite', 'push', nowhere], { SPECMAP_RCLONE: '/nonexistent/rclone' }, 9, /off-site backups need rclone, and \/nonexistent\/rclone \(SPECMAP_RCLONE\) is not there: install it/, 'RCLONE_MISSING'],
      [['backup', 'offsite', 'list', nowhere], { SPECMAP_RCLONE: 'rclone-not-installed-here' }, 9, /rclone-not-installed-here on PATH is not there/, 'RCLONE_MISSING'],
      [['backup', 'offsite', 'push', 'nosuch:x'], {}, 9, /rclone lsjson failed: Failed to create file system for "nosuch:x": didn't find section in config file/, 'RCLONE_FAILED'],
      [['backup', 'offsite', 'push', '--', '--delete'], {}, 5, /it would be taken for an option/, 'INVALID_INPUT'],
      [['backup', 'offsite', 'push', `${BACKUPS}/elsewhere`], {}, 5, /cannot live inside 04-agents\/backups\//, 'INVALID_INPUT'],
      [['backup', 'offsite', 'push'], {}, 2, /name the off-site copy/, 'USAGE'],
      [['backup', 'offsite', 'erase', nowhere], {}, 2, /backup offsite takes push, pull, list or verify/, 'USAGE'],
      [['backup', 'offsite', 'pull', nowhere, '--rehash'], {}, 2, /unknown option '--rehash'/, 'USAGE'],
      [['restore', '--list-backups', '--from', nowhere], {}, 2, /--from goes with --restore-backup/, 'USAGE'],
    ];
    for (const [args, extra, code, message, errorCode] of cases) {
      const r = await runCli(['--json', ...args], { ...o, env: { ...o.env, ...extra } });
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(oneLineError(r)).toMatch(message);
      expect(json(r).error.code).toBe(errorCode);
    }
    repo.write('04-agents/config.yaml', 'backup:\n  offsite: ":webdav,url=https://example.invalid:"\n');
    const inline = await runCli(['backup', 'offsite', 'list'], o);
    expect(inline.code).toBe(5);
    expect(oneLineError(inline)).toMatch(/^specmap: backup\.offsite in 04-agents\/config\.yaml is an inline rclone connection string/);
    repo.write('04-agents/config.yaml', 'backup:\n  offsite: 42\n');
    const bad = await runCli(['backup', 'offsite', 'push'], o);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toMatch(/backup\.offsite must be an rclone remote/);
    expect(backupFiles(repo)).toEqual(before);
    expect(existsSync(nowhere)).toBe(false);
    noLeftovers(repo);
  }, 120_000);
});
