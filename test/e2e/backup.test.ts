import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { listZip } from '../../src/storage/zip/reader.js';
import { readZipEntry } from '../support/zip-read.js';
import { writeRawZip } from '../support/zip-fixtures.js';

const DAY = '2025-10-25';
const at = (time: string) => `${DAY}T${time}`;

/** A SpecMap project: governance and specs tracked, planning untracked, an ignored file inside an item. */
function project(): TestRepo {
  const repo = makeRepo();
  repo.write('00-governance/charter.md', '# Charter\n');
  repo.write('01-specifications/auth.md', '# Auth spec\n');
  repo.write('TRACKING.md', '# Tracking\n');
  repo.write('.gitignore', '*.tmp\n');
  repo.commitAll('SpecMap layout');
  repo.write('02-planning/plan.md', 'untracked plan\n');
  repo.write('01-specifications/draft.tmp', 'ignored\n');
  repo.write('src/app.js', 'not a daily item\n');
  return repo;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('specmap backup daily', () => {
  it('writes the ZIP, a manifest with the spec fields and per-file SHA-256, and the git copy', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    const r = JSON.parse((await ok(['backup', 'daily', '--json'], { ...o, now: at('18:45:00') })).stdout);
    expect(r).toMatchObject({ kind: 'daily', name: DAY, items: ['00-governance', '01-specifications', '02-planning', 'TRACKING.md'], files: 4, updated: false });

    const dir = join(repo.dir, `04-agents/backups/daily/${DAY}`);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      date: DAY, timestamp: `${DAY}T18:45:00`, backup_path: `04-agents/backups/daily/${DAY}`,
      items_backed_up: ['00-governance', '01-specifications', '02-planning', 'TRACKING.md'], runs: 1,
      git: { ref: `refs/backups/daily/${DAY}`, commit: r.commit },
    });
    const paths = manifest.files.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['00-governance/charter.md', '01-specifications/auth.md', '02-planning/plan.md', 'TRACKING.md']);
    for (const f of manifest.files) {
      const content = readFileSync(join(repo.dir, f.path));
      expect(f).toEqual({ path: f.path, size: content.length, sha256: sha256(content), mode: '100644' });
      expect(await readZipEntry(join(dir, 'backup.zip'), f.path)).toEqual(content);
    }
    expect(repo.git('ls-tree', '-r', '--name-only', `refs/backups/daily/${DAY}`).split('\n').sort()).toEqual(paths);
    expect(repo.git('status', '--porcelain', '--', '04-agents')).toBe('');
  });

  it('updates the same day\'s backup on a second run, chaining the git copy', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    const first = JSON.parse((await ok(['backup', 'daily', '--json'], { ...o, now: at('12:00:00') })).stdout);
    repo.write('TRACKING.md', '# Tracking, later\n');
    const second = JSON.parse((await ok(['backup', 'daily', '--json'], { ...o, now: at('18:00:00') })).stdout);
    expect(second.updated).toBe(true);
    expect(repo.git('rev-parse', `${second.commit}^`)).toBe(first.commit);
    const manifest = JSON.parse(readFileSync(join(repo.dir, `04-agents/backups/daily/${DAY}/manifest.json`), 'utf8'));
    expect(manifest).toMatchObject({ runs: 2, updated: true, timestamp: `${DAY}T18:00:00` });
    expect((await readZipEntry(join(repo.dir, `04-agents/backups/daily/${DAY}/backup.zip`), 'TRACKING.md')).toString()).toBe('# Tracking, later\n');
  });

  it('takes its items from 04-agents/config.yaml, and says so when none exists', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('04-agents/config.yaml', 'backup:\n  daily_items: [src, missing-folder]\n');
    const r = JSON.parse((await ok(['backup', 'daily', '--json'], o)).stdout);
    expect(r.items).toEqual(['src']);
    repo.write('04-agents/config.yaml', 'backup:\n  daily_items: [nothing-here]\n');
    const none = await runCli(['backup', 'daily'], o);
    expect(none.code).toBe(8);
    expect(oneLineError(none)).toMatch(/none of the daily backup items has any files yet: nothing-here/);
    repo.write('04-agents/config.yaml', 'backup:\n  daily_items: [../../etc]\n');
    expect((await runCli(['backup', 'daily'], o)).code).toBe(6);
  });
});

describe('specmap backup milestone', () => {
  it('snapshots the whole project (untracked too, not ignored, never backups) with a tag', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], o);
    const r = JSON.parse((await ok(['backup', 'milestone', 'v1.0-release', '--json'], o)).stdout);
    const names = (await listZip(join(repo.dir, '04-agents/backups/milestones/v1.0-release.zip'))).filter((e) => !e.isDirectory).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['src/app.js', '02-planning/plan.md', 'README.md', '00-governance/charter.md']));
    expect(names).not.toContain('01-specifications/draft.tmp');
    expect(names.some((n) => n.startsWith('04-agents/backups/'))).toBe(false);
    expect(repo.git('cat-file', '-t', 'refs/tags/milestones/v1.0-release')).toBe('tag');
    expect(repo.git('rev-parse', 'milestones/v1.0-release^{commit}')).toBe(r.commit);
    expect(repo.git('rev-parse', `${r.commit}^`)).toBe(repo.git('rev-parse', 'HEAD'));
    const again = await runCli(['backup', 'milestone', 'v1.0-release'], o);
    expect(again.code).toBe(7);
    expect(oneLineError(again)).toMatch(/already exists \(use --force/);
    repo.write('src/app.js', 'v1.0.1\n');
    const forced = JSON.parse((await ok(['backup', 'milestone', 'v1.0-release', '--force', '--json'], o)).stdout);
    expect(forced.updated).toBe(true);
    expect((await readZipEntry(join(repo.dir, '04-agents/backups/milestones/v1.0-release.zip'), 'src/app.js')).toString()).toBe('v1.0.1\n');
    expect(repo.git('rev-parse', 'milestones/v1.0-release^{commit}')).toBe(forced.commit);
  });

  it.each(['', '../escape', 'a/b', '-flag', 'x.lock', 'two..dots', 'sp ace', 'a'.repeat(101)])('refuses the name %j', async (name) => {
    const repo = project();
    const r = await runCli(['backup', 'milestone', name], { cwd: repo.dir, env: repo.env });
    expect(r.code === 5 || r.code === 2).toBe(true);
    expect(existsSync(join(repo.dir, '04-agents/backups/milestones'))).toBe(false);
  });
});

describe('specmap backup list / verify / prune', () => {
  it('lists every kind, and verify catches a flipped byte, a missing ZIP and a doctored manifest', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    await ok(['end', '@'], o);
    await ok(['backup', 'daily'], { ...o, now: at('12:00:00') });
    await ok(['backup', 'milestone', 'm1'], o);
    const list = JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout);
    expect(list.backups.map((b: { kind: string }) => b.kind)).toEqual(['session', 'daily', 'milestone']);
    expect((await ok(['backup', 'verify'], o)).stdout).toMatch(/✅ daily 2025-10-25: 8 files intact/);

    // Flip one byte of stored data inside the daily ZIP.
    const zip = join(repo.dir, `04-agents/backups/daily/${DAY}/backup.zip`);
    const bytes = readFileSync(zip);
    const at1 = bytes.indexOf(Buffer.from('# Charter'));
    expect(at1).toBeGreaterThan(0);
    bytes[at1] ^= 0x01;
    writeFileSync(zip, bytes);
    const bad = await runCli(['backup', 'verify', DAY], o);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toMatch(/❌ daily 2025-10-25/);
    expect(bad.stdout).toMatch(/00-governance\/charter\.md: CRC mismatch|charter\.md/);
    expect(oneLineError(bad)).toBe('specmap: 1 backup failed verification');

    // A doctored manifest and a deleted milestone ZIP.
    const mf = join(repo.dir, '04-agents/backups/milestones/m1.manifest.json');
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    m.files[0].sha256 = '0'.repeat(64);
    writeFileSync(mf, JSON.stringify(m));
    const doctored = JSON.parse((await runCli(['backup', 'verify', 'm1', '--json'], o)).stdout);
    expect(doctored.ok).toBe(false);
    expect(doctored.results[0].problems).toEqual([{ path: m.files[0].path, problem: 'SHA-256 differs from the manifest' }]);
    rmSync(join(repo.dir, '04-agents/backups/milestones/m1.zip'));
    const missing = JSON.parse((await runCli(['backup', 'verify', 'm1', '--json'], o)).stdout);
    expect(missing.results[0].problems).toEqual([{ path: '', problem: 'the ZIP is missing (restore can still use the git copy)' }]);
  });

  it('prune --dry-run deletes nothing; prune removes the oldest dailies with their git copies', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    for (const d of ['2025-10-23', '2025-10-24', '2025-10-25']) await ok(['backup', 'daily'], { ...o, now: `${d}T10:00:00` });
    const dry = JSON.parse((await ok(['backup', 'prune', '--keep-daily', '1', '--dry-run', '--json'], o)).stdout);
    expect(dry.deleted.map((d: { name: string }) => d.name).sort()).toEqual(['2025-10-23', '2025-10-24']);
    expect(existsSync(join(repo.dir, '04-agents/backups/daily/2025-10-23'))).toBe(true);
    await ok(['backup', 'prune', '--keep-daily', '1'], o);
    expect(existsSync(join(repo.dir, '04-agents/backups/daily/2025-10-23'))).toBe(false);
    expect(existsSync(join(repo.dir, '04-agents/backups/daily/2025-10-25'))).toBe(true);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/backups/')).toBe('refs/backups/daily/2025-10-25');
    expect((await runCli(['backup', 'prune', '--keep-daily', '-3'], o)).code).toBe(5);
  });
});

describe('specmap restore --restore-daily / --restore-milestone', () => {
  it('restores from the ZIP, then from git once the ZIP is gone, never over existing files', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], { ...o, now: at('10:00:00') });
    const r = JSON.parse((await ok(['restore', '--restore-daily', DAY, '--json'], o)).stdout);
    expect(r).toMatchObject({ source: 'zip', destination: `04-agents/backups/restored/daily-${DAY}/`, files: 4 });
    expect(readFileSync(join(repo.dir, r.destination, '00-governance/charter.md'), 'utf8')).toBe('# Charter\n');
    expect((await runCli(['restore', '--restore-daily', DAY], o)).code).toBe(7);

    rmSync(join(repo.dir, `04-agents/backups/daily/${DAY}`), { recursive: true });
    const g = await ok(['restore', '--restore-daily', DAY, '--to', 'recovered', '--json'], o);
    const fromGit = JSON.parse(g.stdout);
    expect(fromGit).toMatchObject({ source: 'git', destination: 'recovered/', files: 4 });
    expect(g.stderr).toMatch(/missing; restored from the git copy refs\/backups\/daily\/2025-10-25/);
    expect(readFileSync(join(repo.dir, 'recovered/TRACKING.md'), 'utf8')).toBe('# Tracking\n');

    expect((await runCli(['restore', '--restore-daily', '2025-13-45'], o)).code).toBe(5);
    expect((await runCli(['restore', '--restore-daily', '2024-01-01'], o)).code).toBe(4);
  });

  it('refuses a zip-slip milestone ZIP (no git copy) and falls back to git when there is one', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'milestone', 'm1'], o);
    const zip = join(repo.dir, '04-agents/backups/milestones/m1.zip');
    writeRawZip(zip, [{ name: 'ok.txt', data: 'ok' }, { name: '../../evil.txt', data: 'evil' }]);
    const fallback = await ok(['restore', '--restore-milestone', 'm1', '--json'], o);
    expect(JSON.parse(fallback.stdout).source).toBe('git');
    expect(fallback.stderr).toMatch(/is damaged .*restored from the git copy instead/);
    expect(existsSync(join(repo.dir, '../evil.txt'))).toBe(false);

    repo.git('tag', '-d', 'milestones/m1');
    const refused = await runCli(['restore', '--restore-milestone', 'm1', '--to', 'm1-copy'], o);
    expect(refused.code).toBe(6);
    expect(oneLineError(refused)).toMatch(/unsafe name \(it has a '\.\.' component\)/);
    expect(existsSync(join(repo.dir, 'm1-copy'))).toBe(false);
  });
});

describe('specmap restore --restore-daily / --restore-milestone --to outside the project', () => {
  it('restores into a folder the user names outside the project, absolute or relative to cwd, all or nothing', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], { ...o, now: at('10:00:00') });
    await ok(['backup', 'milestone', 'm1'], o);

    const target = join(scratch(), 'restored-daily');
    const r = JSON.parse((await ok(['restore', '--restore-daily', DAY, '--to', target, '--json'], o)).stdout);
    expect(r).toMatchObject({ source: 'zip', destination: `${target}/`, files: 4 });
    expect(readFileSync(join(target, '00-governance/charter.md'), 'utf8')).toBe('# Charter\n');
    expect(readFileSync(join(target, '02-planning/plan.md'), 'utf8')).toBe('untracked plan\n');
    // Nothing left beside it: the folder was built aside and renamed in.
    expect(readdirSync(join(target, '..'))).toEqual(['restored-daily']);

    // An existing non-empty destination needs --force; then it is replaced as a whole.
    writeFileSync(join(target, 'mine.txt'), 'mine\n');
    const again = await runCli(['restore', '--restore-daily', DAY, '--to', target], o);
    expect(again.code).toBe(7);
    expect(oneLineError(again)).toMatch(/already exists \(use --force/);
    expect(readFileSync(join(target, 'mine.txt'), 'utf8')).toBe('mine\n');
    await ok(['restore', '--restore-daily', DAY, '--to', target, '--force'], o);
    expect(existsSync(join(target, 'mine.txt'))).toBe(false);

    // Relative to cwd (a subfolder), into an existing empty folder, for a milestone.
    const base = scratch();
    mkdirSync(join(base, 'empty'));
    const sub = { ...o, cwd: join(repo.dir, 'src') };
    const rel = relative(sub.cwd, join(base, 'empty'));
    expect(rel.startsWith('../')).toBe(true);
    const m = JSON.parse((await ok(['restore', '--restore-milestone', 'm1', '--to', rel, '--json'], sub)).stdout);
    expect(m.destination).toBe(`${join(base, 'empty')}/`);
    expect(readFileSync(join(base, 'empty/src/app.js'), 'utf8')).toBe('not a daily item\n');

    // Never the project or a folder holding it; a symlink inside the project still may not lead out.
    expect((await runCli(['restore', '--restore-daily', DAY, '--to', '..', '--force'], o)).code).toBe(5);
    expect((await runCli(['restore', '--restore-daily', DAY, '--to', '.', '--force'], o)).code).toBe(5);
    symlinkSync(scratch(), join(repo.dir, 'link-out'));
    const link = await runCli(['restore', '--restore-daily', DAY, '--to', 'link-out/x'], o);
    expect(link.code).toBe(5);
    expect(oneLineError(link)).toMatch(/through a symlink/);
    expect(readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8')).toBe('# Tracking\n');
  });

  it('keeps zip-slip checks relative to an outside target: nothing is written', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'milestone', 'm1'], o);
    writeRawZip(join(repo.dir, '04-agents/backups/milestones/m1.zip'), [{ name: 'ok.txt', data: 'ok' }, { name: '../evil.txt', data: 'evil' }]);
    repo.git('tag', '-d', 'milestones/m1');
    const base = scratch();
    const refused = await runCli(['restore', '--restore-milestone', 'm1', '--to', join(base, 'out')], o);
    expect(refused.code).toBe(6);
    expect(readdirSync(base)).toEqual([]);
  });
});
