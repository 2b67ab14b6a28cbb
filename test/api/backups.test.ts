import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeBackups } from '../../src/api/complete-backups.js';
import { dailyBackup } from '../../src/api/daily-backup.js';
import { doctor } from '../../src/api/doctor.js';
import { listBackups } from '../../src/api/list-backups.js';
import { milestoneBackup } from '../../src/api/milestone-backup.js';
import { offsiteList } from '../../src/api/offsite-list.js';
import { offsitePull } from '../../src/api/offsite-pull.js';
import { offsitePush } from '../../src/api/offsite-push.js';
import { offsiteVerify } from '../../src/api/offsite-verify.js';
import { pruneBackups } from '../../src/api/prune-backups.js';
import { restoreProjectBackup } from '../../src/api/restore-project-backup.js';
import { verifyBackups } from '../../src/api/verify-backups.js';
import { ok } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { useRepoEnv } from '../support/in-process.js';

const DAY = '2025-10-25';
const DAILY = `04-agents/backups/daily/${DAY}`;

/** A SpecMap project whose git and clock this process (the in-process api) uses too. */
function project(now = `${DAY}T12:00:00`): TestRepo {
  const repo = makeRepo();
  useRepoEnv(repo, { SPECMAP_NOW: now });
  repo.write('00-governance/charter.md', '# Charter\n');
  repo.write('01-specifications/auth.md', '# Auth spec\n');
  repo.commitAll('SpecMap layout');
  return repo;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const json = (repo: TestRepo, rel: string) => JSON.parse(readFileSync(join(repo.dir, rel), 'utf8'));
const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

describe('api dailyBackup and milestoneBackup', () => {
  it('writes the day\'s backup and its git copy, then replaces it on a second run', async () => {
    const repo = project();
    const first = await dailyBackup({ cwd: join(repo.dir, '00-governance') });
    const commit = repo.git('rev-parse', `refs/backups/daily/${DAY}`);
    expect(first).toEqual({
      kind: 'daily', name: DAY, zip: `${DAILY}/backup.zip`, manifest: `${DAILY}/manifest.json`, items: ['00-governance', '01-specifications'],
      files: 2, bytes: '# Charter\n'.length + '# Auth spec\n'.length, zip_bytes: statSync(join(repo.dir, DAILY, 'backup.zip')).size, commit, ref: `refs/backups/daily/${DAY}`, updated: false,
    });
    const m = json(repo, `${DAILY}/manifest.json`);
    expect(Object.keys(m)).toEqual(['date', 'timestamp', 'items_backed_up', 'backup_path', 'zip', 'runs', 'updated', 'git', 'archive_sha256', 'archive_bytes', 'files']);
    expect([m.timestamp, m.runs, m.git, m.archive_sha256]).toEqual([
      `${DAY}T12:00:00`, 1, { ref: `refs/backups/daily/${DAY}`, commit, tree: repo.git('rev-parse', `${commit}^{tree}`) }, sha256(readFileSync(join(repo.dir, DAILY, 'backup.zip'))),
    ]);

    process.env.SPECMAP_NOW = `${DAY}T18:00:00`;
    const second = await dailyBackup({ cwd: repo.dir });
    expect([second.updated, json(repo, `${DAILY}/manifest.json`).runs, repo.git('rev-parse', `${second.commit}^`)]).toEqual([true, 2, commit]);
  });

  it('writes a milestone, refuses to replace it without force, and checks the name before opening anything', async () => {
    const repo = project();
    const r = await milestoneBackup({ cwd: repo.dir, name: 'v1.0' });
    expect(r).toEqual({
      kind: 'milestone', name: 'v1.0', zip: '04-agents/backups/milestones/v1.0.zip', manifest: '04-agents/backups/milestones/v1.0.manifest.json',
      items: ['.'], files: expect.any(Number), bytes: expect.any(Number), zip_bytes: statSync(join(repo.dir, '04-agents/backups/milestones/v1.0.zip')).size, commit: repo.git('rev-parse', 'milestones/v1.0^{commit}'),
      ref: 'refs/tags/milestones/v1.0', updated: false,
    });
    expect(json(repo, r.manifest).git).toEqual({ tag: 'refs/tags/milestones/v1.0', commit: r.commit, tree: repo.git('rev-parse', `${r.commit}^{tree}`) });
    expect(await codeOf(milestoneBackup({ cwd: repo.dir, name: 'v1.0' }))).toBe('CONFLICT');
    expect((await milestoneBackup({ cwd: repo.dir, name: 'v1.0', force: true })).updated).toBe(true);
    expect(await codeOf(milestoneBackup({ cwd: join(repo.dir, 'no-such-dir'), name: '../x' }))).toBe('INVALID_INPUT');
  });
});

describe('api listBackups, verifyBackups, pruneBackups', () => {
  it('lists every kind as one list, filters by kind, verifies by prefix and finds damage', async () => {
    const repo = project();
    await dailyBackup({ cwd: repo.dir });
    await milestoneBackup({ cwd: repo.dir, name: 'm1' });
    const all = await listBackups({ cwd: repo.dir });
    expect(all.backups.map((b) => [b.kind, b.name, b.zip_exists, b.ref, b.ref_exists])).toEqual([
      ['daily', DAY, true, `refs/backups/daily/${DAY}`, true],
      ['milestone', 'm1', true, 'refs/tags/milestones/m1', true],
    ]);
    expect(all.backups[0]).toMatchObject({ format: 'zip', manifest: `${DAILY}/manifest.json`, checksum: null, files: 2, written: `${DAY}T12:00:00` });
    expect((await listBackups({ cwd: repo.dir, kind: 'milestone' })).backups.map((b) => b.name)).toEqual(['m1']);

    expect(await verifyBackups({ cwd: repo.dir, backup: '2025-10' })).toEqual({
      ok: true, results: [{ kind: 'daily', name: DAY, zip: `${DAILY}/backup.zip`, ok: true, files: 2, archive: 'match', problems: [], notes: [] }],
    });
    expect(await codeOf(verifyBackups({ cwd: repo.dir, backup: 'nope' }))).toBe('BACKUP_NOT_FOUND');
    rmSync(join(repo.dir, '04-agents/backups/milestones/m1.zip'));
    const r = await verifyBackups({ cwd: repo.dir });
    expect([r.ok, r.results.map((x) => x.ok)]).toEqual([false, [true, false]]);
    expect(r.results[1]!.problems).toEqual([{ path: '', problem: 'the ZIP is missing (restore can still use the git copy)' }]);
  });

  it('prunes the oldest dailies (a dry run deletes nothing) and refuses a bad count', async () => {
    const repo = project();
    for (const d of ['2025-10-23', '2025-10-24', DAY]) {
      process.env.SPECMAP_NOW = `${d}T10:00:00`;
      await dailyBackup({ cwd: repo.dir });
    }
    const doomed = (d: string) => ({ kind: 'daily', name: d, paths: [`04-agents/backups/daily/${d}/`, `refs/backups/daily/${d}`] });
    expect(await pruneBackups({ cwd: repo.dir, keepDaily: 1, dryRun: true })).toEqual({ dry_run: true, deleted: [doomed('2025-10-24'), doomed('2025-10-23')], held_back: [], kept: 1 });
    expect(existsSync(join(repo.dir, '04-agents/backups/daily/2025-10-23'))).toBe(true);
    expect((await pruneBackups({ cwd: repo.dir, keepDaily: 1 })).dry_run).toBe(false);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/backups/')).toBe(`refs/backups/daily/${DAY}`);
    expect(await codeOf(pruneBackups({ cwd: join(repo.dir, 'no-such-dir'), keepDaily: -1 }))).toBe('INVALID_INPUT');
  });
});

describe('api restoreProjectBackup', () => {
  it('restores a daily backup to a folder named relative to cwd, then from git once the ZIP is gone', async () => {
    const repo = project();
    await dailyBackup({ cwd: repo.dir });
    expect(await restoreProjectBackup({ cwd: join(repo.dir, '01-specifications'), kind: 'daily', name: DAY, to: '../recovered' })).toEqual({
      kind: 'daily', name: DAY, source: 'zip', destination: 'recovered/', files: 2, notes: [], fetched: [],
    });
    expect(readFileSync(join(repo.dir, 'recovered/01-specifications/auth.md'), 'utf8')).toBe('# Auth spec\n');
    expect(await codeOf(restoreProjectBackup({ cwd: repo.dir, kind: 'daily', name: DAY, to: 'recovered' }))).toBe('CONFLICT');

    rmSync(join(repo.dir, DAILY, 'backup.zip'));
    const outside = join(scratch(), 'out');
    const r = await restoreProjectBackup({ cwd: repo.dir, kind: 'daily', name: DAY, to: outside });
    expect([r.source, r.destination, r.files]).toEqual(['git', `${outside}/`, 2]);
    expect(await codeOf(restoreProjectBackup({ cwd: repo.dir, kind: 'daily', name: '2025-13-01' }))).toBe('INVALID_INPUT');
    expect(await codeOf(restoreProjectBackup({ cwd: repo.dir, kind: 'milestone', name: 'none' }))).toBe('BACKUP_NOT_FOUND');
  });
});

describe('api completeBackups and doctor', () => {
  it('writes an owed session ZIP, and nothing when none is owed', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    await ok(['end', '@'], o);
    const id = (await listBackups({ cwd: repo.dir, kind: 'session' })).backups[0]!.name;
    const zip = `04-agents/backups/sessions/${id}-backup.zip`;
    rmSync(join(repo.dir, zip));
    mkdirSync(join(repo.dir, '.git/specmap/pending-backups'), { recursive: true });
    writeFileSync(join(repo.dir, '.git/specmap/pending-backups', id), `${id}\n`);
    expect(await completeBackups({ cwd: repo.dir })).toEqual({ backups: [{ path: zip, entries: expect.any(Number), bytes: readFileSync(join(repo.dir, zip)).length, warnings: [] }] });
    expect(await completeBackups({ cwd: repo.dir })).toEqual({ backups: [] });
  });

  it('finds a lost daily manifest and re-exports it from the git copy with the pinned clock', async () => {
    const repo = project();
    const daily = await dailyBackup({ cwd: repo.dir });
    expect(await doctor({ cwd: repo.dir })).toEqual({ findings: [], fixed: 0, remaining: 0 });
    rmSync(join(repo.dir, DAILY, 'manifest.json'));
    const finding = { check: 'lost-backup-export', subject: `daily ${DAY}`, message: expect.stringContaining('--fix exports it again'), fixable: true };
    expect(await doctor({ cwd: repo.dir })).toEqual({ findings: [{ ...finding, fixed: false }], fixed: 0, remaining: 1 });
    process.env.SPECMAP_NOW = `${DAY}T20:15:00`;
    expect(await doctor({ cwd: repo.dir, fix: true })).toEqual({ findings: [{ ...finding, fixed: true }], fixed: 1, remaining: 0 });
    const m = json(repo, `${DAILY}/manifest.json`);
    expect([m.date, m.timestamp, m.git, m.recovered_by, m.files.length]).toEqual([
      DAY, `${DAY}T20:15:00`, { ref: `refs/backups/daily/${DAY}`, commit: daily.commit }, 'specmap doctor', 2,
    ]);
    expect((await verifyBackups({ cwd: repo.dir })).ok).toBe(true);
  });
});

describe('api offsitePush, offsitePull, offsiteList and offsiteVerify (rclone, local backend)', () => {
  it('sends the backups to a folder named relative to cwd, fetches them back once lost, and says RCLONE_MISSING without rclone', async () => {
    const repo = project();
    process.env.RCLONE_CONFIG = '/dev/null';
    await dailyBackup({ cwd: repo.dir });
    await milestoneBackup({ cwd: repo.dir, name: 'v1' });
    const base = dirname(repo.dir);
    const pushed = await offsitePush({ cwd: join(repo.dir, '01-specifications'), remote: '../../copy' });
    expect(pushed).toMatchObject({ remote: join(base, 'copy'), ok: true, replaced_dir: null, check: { files: 4, sizes_only: false, problems: [] } });
    expect(pushed.backups.map((b) => [b.kind, b.action, b.files])).toEqual([
      ['daily', 'uploaded', [`daily/${DAY}/backup.zip`, `daily/${DAY}/manifest.json`]],
      ['milestone', 'uploaded', ['milestones/v1.zip', 'milestones/v1.manifest.json']],
    ]);
    const zip = readFileSync(join(repo.dir, DAILY, 'backup.zip'));
    expect(readFileSync(join(base, 'copy', 'daily', DAY, 'backup.zip')).equals(zip)).toBe(true);

    rmSync(join(repo.dir, DAILY), { recursive: true });
    expect((await offsiteList({ cwd: repo.dir, remote: join(base, 'copy') })).backups.map((b) => [b.kind, b.local, b.remote, b.same]))
      .toEqual([['daily', 'missing', 'present', null], ['milestone', 'present', 'present', true]]);
    const pulled = await offsitePull({ cwd: repo.dir, remote: join(base, 'copy') });
    expect(pulled.backups).toEqual([
      { kind: 'daily', name: DAY, action: 'fetched', reason: null, files: [`${DAILY}/manifest.json`, `${DAILY}/backup.zip`] },
      { kind: 'milestone', name: 'v1', action: 'present', reason: null, files: [] },
    ]);
    expect(readFileSync(join(repo.dir, DAILY, 'backup.zip')).equals(zip)).toBe(true);
    expect((await offsiteVerify({ cwd: repo.dir, remote: join(base, 'copy') })).ok).toBe(true);

    process.env.SPECMAP_RCLONE = join(base, 'no-rclone-here');
    expect(await codeOf(offsitePush({ cwd: repo.dir, remote: join(base, 'copy') }))).toBe('RCLONE_MISSING');
  });
});
