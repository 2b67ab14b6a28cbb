import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

/**
 * Daily backups as the original Python SpecMap's backup-project.py left them: the items copied as plain folders
 * and files (shutil.copytree / copy2) under daily/daily-backup-<date>/ (or the spec's daily/<date>/), and a
 * manifest.json written with json.dump(indent=2). No ZIP, no git copy, no checksums.
 */
const ITEMS = ['00-governance', '01-specifications', '04-agents/session-summaries', 'TRACKING.md', 'PROJECT-STATUS.md'];

function pythonDaily(repo: TestRepo, folderName: string, date: string): Record<string, Buffer> {
  const folder = `04-agents/backups/daily/${folderName}`;
  const files: Record<string, Buffer> = {
    '00-governance/charter.md': Buffer.from('# Charter (copied by Python)\n'),
    '01-specifications/auth.md': Buffer.from('# Auth\n'),
    '01-specifications/api/deep/v2.md': Buffer.from('deep\r\nwindows line ends\r\n'),
    '01-specifications/diagram.bin': Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    '04-agents/session-summaries/2025-10-20.md': Buffer.from('## Sessions\n'),
    'TRACKING.md': Buffer.from('# Tracking ✅\n'),
    'PROJECT-STATUS.md': Buffer.from(''),
  };
  for (const [p, data] of Object.entries(files)) repo.write(`${folder}/${p}`, data);
  const manifest = { date, timestamp: `${date}T18:45:00.123456`, items_backed_up: ITEMS, backup_path: folder };
  repo.write(`${folder}/manifest.json`, JSON.stringify(manifest, null, 2));
  return files;
}

/** Every regular file below `dir`, as path -> bytes. */
function readTree(dir: string, prefix = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const d of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) Object.assign(out, readTree(dir, rel));
    else out[rel] = readFileSync(join(dir, rel));
  }
  return out;
}

interface Listed { kind: string; name: string; format: string; zip: string; files: number | null; bytes: number; ref: string | null }

describe('daily backups written by the Python SpecMap (plain folders + manifest.json)', () => {
  it('lists, verifies and restores daily-backup-<date>/ and the spec layout <date>/ byte for byte', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const legacy = pythonDaily(repo, 'daily-backup-2025-10-20', '2025-10-20');
    const spec = pythonDaily(repo, '2025-10-21', '2025-10-21');

    const list: Listed[] = JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout).backups;
    const total = Object.values(legacy).reduce((n, b) => n + b.length, 0);
    expect(list).toEqual([
      expect.objectContaining({ kind: 'daily', name: '2025-10-20', format: 'folder', zip: '04-agents/backups/daily/daily-backup-2025-10-20/', files: 7, bytes: total }),
      expect.objectContaining({ kind: 'daily', name: '2025-10-21', format: 'folder', zip: '04-agents/backups/daily/2025-10-21/', files: 7, bytes: total }),
    ]);
    const text = (await ok(['backup', 'list'], o)).stdout;
    expect(text).toMatch(/daily\s+2025-10-20\s+2025-10-20 18:45:00 [+-]\d\d:\d\d\s+7\b.*04-agents\/backups\/daily\/daily-backup-2025-10-20\//);

    const verified = await ok(['backup', 'verify'], o);
    expect(verified.stdout).toMatch(/✅ daily 2025-10-20: 7 files intact/);
    expect(verified.stdout).toMatch(/✅ daily 2025-10-21: 7 files intact/);
    expect(verified.stdout).toMatch(/plain folder copies carry no checksums/);

    const r = JSON.parse((await ok(['restore', '--restore-daily', '2025-10-20', '--json'], o)).stdout);
    expect(r).toMatchObject({ kind: 'daily', name: '2025-10-20', source: 'folder', destination: '04-agents/backups/restored/daily-2025-10-20/', files: 7 });
    expect(readTree(join(repo.dir, r.destination))).toEqual(legacy);

    const target = join(scratch(), 'from-spec-layout');
    const s = JSON.parse((await ok(['restore', '--restore-daily', '2025-10-21', '--to', target, '--json'], o)).stdout);
    expect(s).toMatchObject({ source: 'folder', destination: `${target}/` });
    expect(readTree(target)).toEqual(spec);
    expect((await runCli(['restore', '--restore-daily', '2025-10-21', '--to', target], o)).code).toBe(7);
  });

  it('never follows a symbolic link out of the backup folder, and refuses unsafe names with nothing written', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const files = pythonDaily(repo, 'daily-backup-2025-10-20', '2025-10-20');
    const folder = join(repo.dir, '04-agents/backups/daily/daily-backup-2025-10-20');
    const secrets = scratch();
    writeFileSync(join(secrets, 'secret.txt'), 'secret\n');
    symlinkSync(join(secrets, 'secret.txt'), join(folder, '00-governance/leak.md'));
    symlinkSync(secrets, join(folder, '01-specifications/linked-dir'));

    const verified = await ok(['backup', 'verify', '2025-10-20'], o);
    expect(verified.stdout).toMatch(/00-governance\/leak\.md: a symbolic link; not restored/);
    const restored = await ok(['restore', '--restore-daily', '2025-10-20', '--to', 'out', '--json'], o);
    expect(restored.stderr).toMatch(/00-governance\/leak\.md: a symbolic link; not restored/);
    expect(restored.stderr).toMatch(/01-specifications\/linked-dir: a symbolic link; not restored/);
    expect(readTree(join(repo.dir, 'out'))).toEqual(files);

    // A name no project path may have: refused before anything is copied.
    writeFileSync(join(folder, '01-specifications', 'a\\b.md'), 'backslash\n');
    const bad = await runCli(['restore', '--restore-daily', '2025-10-20', '--to', 'out2'], o);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toMatch(/unsafe name "01-specifications\/a\\\\b\.md"/);
    expect(existsSync(join(repo.dir, 'out2'))).toBe(false);
    expect(readdirSync(repo.dir).filter((n) => n.startsWith('.out2'))).toEqual([]);
  });

  it('verify names a listed item that is missing from the copy, and a missing manifest', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    pythonDaily(repo, 'daily-backup-2025-10-20', '2025-10-20');
    const folder = join(repo.dir, '04-agents/backups/daily/daily-backup-2025-10-20');
    rmSync(join(folder, 'PROJECT-STATUS.md'));
    const bad = await runCli(['backup', 'verify', '2025-10-20'], o);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toMatch(/❌ daily 2025-10-20: 1 problem/);
    expect(bad.stdout).toMatch(/PROJECT-STATUS\.md: listed in items_backed_up but missing from the folder/);
    rmSync(join(folder, 'manifest.json'));
    const noManifest = await runCli(['backup', 'verify', '2025-10-20'], o);
    expect(noManifest.code).toBe(6);
    expect(noManifest.stdout).toMatch(/daily-backup-2025-10-20\/manifest\.json is missing/);
  });

  it('a Python backup on a day specmap also backed up keeps its folder name; prune deletes the folder', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('TRACKING.md', '# Tracking (specmap)\n');
    repo.commitAll('tracking');
    await ok(['backup', 'daily'], { ...o, now: '2025-10-20T09:00:00' });
    const files = pythonDaily(repo, 'daily-backup-2025-10-20', '2025-10-20');
    const names = (JSON.parse((await ok(['backup', 'list', '--json'], o)).stdout).backups as Listed[]).map((b) => [b.name, b.format]);
    expect(names).toEqual([['2025-10-20', 'zip'], ['daily-backup-2025-10-20', 'folder']]);
    const r = JSON.parse((await ok(['restore', '--restore-daily', 'daily-backup-2025-10-20', '--to', 'py', '--json'], o)).stdout);
    expect(r.source).toBe('folder');
    expect(readTree(join(repo.dir, 'py'))).toEqual(files);
    expect(JSON.parse((await ok(['restore', '--restore-daily', '2025-10-20', '--to', 'sm', '--json'], o)).stdout).source).toBe('zip');

    // The Python folder's manifest timestamp (18:45) is newer than specmap's run (09:00): specmap's goes.
    const pruned = JSON.parse((await ok(['backup', 'prune', '--keep-daily', '1', '--json'], o)).stdout);
    expect(pruned.deleted.map((d: { name: string }) => d.name)).toEqual(['2025-10-20']);
    await ok(['backup', 'prune', '--keep-daily', '0'], o);
    expect(readdirSync(join(repo.dir, '04-agents/backups/daily'))).toEqual([]);
  });
});
