import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { listZip } from '../../src/storage/zip/reader.js';
import { writeRawZip } from '../support/zip-fixtures.js';

const ID = '2025-10-25-session-001-authentication';
const ACTIVE = '04-agents/sessions/active';

/** Two checkpoints; the files share base names in different folders (the Python tool's copy defect). */
async function session(repo: TestRepo = makeRepo()) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'authentication'], { ...o, now: '2025-10-25T14:30:00' });
  repo.write('src/index.js', 'src v1\n');
  repo.write('lib/index.js', 'lib v1\n');
  repo.write('bin/run.sh', '#!/bin/sh\necho run\n');
  const { chmodSync } = await import('node:fs');
  chmodSync(join(repo.dir, 'bin/run.sh'), 0o755);
  const c1 = JSON.parse((await ok(['checkpoint', '@', 'v1', 'src', 'lib', 'bin', '--json'], { ...o, now: '2025-10-25T15:00:00' })).stdout);
  repo.write('src/index.js', 'src v2\n');
  rmSync(join(repo.dir, 'lib/index.js'));
  const c2 = JSON.parse((await ok(['checkpoint', '@', 'v2', 'src', 'lib', '--json'], { ...o, now: '2025-10-25T16:30:00' })).stdout);
  return { repo, o, c1, c2 };
}

const read = (repo: TestRepo, rel: string) => readFileSync(join(repo.dir, rel), 'utf8');

describe('specmap restore from git', () => {
  it('lists checkpoints and restores one into its -restored folder, refusing to overwrite without --force', async () => {
    const { repo, o, c1, c2 } = await session();
    const list = JSON.parse((await ok(['restore', '--list-checkpoints', ID, '--json'], o)).stdout);
    expect(list.session_id).toBe(ID);
    expect(list.checkpoints.map((c: { checkpoint_id: string; source: string }) => [c.checkpoint_id, c.source])).toEqual([[c1.checkpoint_id, 'git'], [c2.checkpoint_id, 'git']]);
    expect((await ok(['restore', '--list-checkpoints', ID], o)).stdout).toMatch(new RegExp(`${c1.checkpoint_id}\\s+2025-10-25 15:00:00 [+-]\\d\\d:\\d\\d\\s+${c1.commit.slice(0, 12)}\\s+git\\s+4\\s+v1`));

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--json'], o)).stdout);
    const dest = `${ACTIVE}/${ID}-${c1.checkpoint_id}-restored`;
    expect(r).toMatchObject({ source: 'git', destination: `${dest}/` });
    expect(read(repo, `${dest}/src/index.js`)).toBe('src v1\n');
    expect(read(repo, `${dest}/lib/index.js`)).toBe('lib v1\n');
    const { statSync } = await import('node:fs');
    expect(statSync(join(repo.dir, dest, 'bin/run.sh')).mode & 0o111).not.toBe(0);
    expect(read(repo, 'src/index.js')).toBe('src v2\n'); // the working tree is untouched

    // The restored folder is not mistaken for a session.
    const sessions = JSON.parse((await ok(['list', '--json'], o)).stdout);
    expect(sessions.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([ID]);

    writeFileSync(join(repo.dir, dest, 'src/index.js'), 'my edit\n');
    const again = await runCli(['restore', '--restore-checkpoint', ID, c1.checkpoint_id], o);
    expect(again.code).toBe(7);
    expect(oneLineError(again)).toMatch(/already exists \(use --force/);
    expect(read(repo, `${dest}/src/index.js`)).toBe('my edit\n');
    await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--force'], o);
    expect(read(repo, `${dest}/src/index.js`)).toBe('src v1\n');

    // A deleted file is reported, not invented.
    const v2 = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c2.checkpoint_id, '--json'], o)).stdout);
    expect(v2.deleted).toEqual(['lib/index.js']);
    expect(existsSync(join(repo.dir, `${ACTIVE}/${ID}-${c2.checkpoint_id}-restored/lib/index.js`))).toBe(false);
  });

  it('--in-place takes a safety checkpoint first, restores, and the printed undo brings the work back', async () => {
    const { repo, o, c1 } = await session();
    repo.write('src/index.js', 'unsaved work\n');
    repo.write('lib/index.js', 'recreated\n');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', 'src/index.js', '--json'], o)).stdout);
    expect(read(repo, 'src/index.js')).toBe('src v1\n');
    expect(read(repo, 'lib/index.js')).toBe('recreated\n'); // not named, not touched
    expect(r.safety.checkpoint_id).toMatch(/^checkpoint-003-/);
    expect(repo.git('show', `${r.safety.commit}:src/index.js`)).toBe('unsaved work');
    expect(r.safety.undo).toBe(`specmap restore --restore-checkpoint ${ID} ${r.safety.checkpoint_id} --in-place -- src/index.js`);
    // Already as at that checkpoint: nothing to do (exit 8), and no new safety checkpoint.
    const same = await runCli(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', 'src/index.js'], o);
    expect(same.code).toBe(8);
    expect(oneLineError(same)).toMatch(/already matches/);
    repo.write('src/index.js', 'unsaved work\n');
    const human = await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', 'src/index.js'], o);
    expect(human.stdout).toMatch(/Safety checkpoint first: .*checkpoint-004-/);
    expect(human.stdout).toContain('↩️  Undo: specmap restore --restore-checkpoint');

    const undo = r.safety.undo.split(' ').slice(1);
    await ok(undo, o);
    expect(read(repo, 'src/index.js')).toBe('unsaved work\n');
    expect(repo.git('status', '--porcelain', '--', 'src/main.js')).toBe(''); // unrelated files untouched
  });

  it('--in-place with no paths restores the checkpoint files and removes the ones it deleted', async () => {
    const { repo, o, c2 } = await session();
    repo.write('lib/index.js', 'back again\n');
    repo.write('src/index.js', 'v3\n');
    await ok(['restore', '--restore-checkpoint', '@', c2.checkpoint_id, '--in-place'], o);
    expect(read(repo, 'src/index.js')).toBe('src v2\n');
    expect(existsSync(join(repo.dir, 'lib/index.js'))).toBe(false);
  });

  it('refuses paths outside the project; a folder replaced by a link leading outside is never written through', async () => {
    const { repo, o, c1 } = await session();
    const out = await runCli(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', '../evil'], o);
    expect(out.code).toBe(5);
    expect(oneLineError(out)).toMatch(/outside the project/);

    const outside = join(repo.dir, '..', 'outside');
    mkdirSync(outside);
    rmSync(join(repo.dir, 'src'), { recursive: true });
    const { lstatSync, readlinkSync, symlinkSync } = await import('node:fs');
    symlinkSync(outside, join(repo.dir, 'src'));
    // Naming a path through the link is refused...
    const viaLink = await runCli(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', 'src/index.js'], o);
    expect(viaLink.code).toBe(5);
    expect(oneLineError(viaLink)).toMatch(/through a symlink/);
    // ...and the whole restore replaces the link (kept in the safety checkpoint) with the folder, as git checkout does.
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--in-place', '--json'], o)).stdout);
    expect(readdirSync(outside)).toEqual([]);
    expect(lstatSync(join(repo.dir, 'src')).isDirectory()).toBe(true);
    expect(read(repo, 'src/index.js')).toBe('src v1\n');
    expect(repo.git('cat-file', '-p', `${r.safety.commit}:src`)).toBe(outside);
    expect(r.safety.undo).toBe(`specmap restore --restore-checkpoint ${ID} ${r.safety.checkpoint_id} --in-place`);
    await ok(r.safety.undo.split(' ').slice(1), o);
    expect(readlinkSync(join(repo.dir, 'src'))).toBe(outside);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('large files', () => {
  it('streams a file over 16 MB from git into the restored folder, in place, and into the session ZIP', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'big files'], o);
    const big = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    repo.write('data/big.bin', big);
    const cp = JSON.parse((await ok(['checkpoint', '@', 'big', '--json'], o)).stdout);
    const same = (path: string) => readFileSync(path).equals(big);

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--json'], o)).stdout);
    expect(same(join(repo.dir, r.destination, 'data/big.bin'))).toBe(true);
    writeFileSync(join(repo.dir, 'data/big.bin'), 'overwritten\n');
    await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, 'data/big.bin', '--in-place'], o);
    expect(same(join(repo.dir, 'data/big.bin'))).toBe(true);
    expect(readdirSync(join(repo.dir, 'data'))).toEqual(['big.bin']);

    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    const entries = await listZip(join(repo.dir, ended.backup.path));
    expect(entries.find((e) => e.name === `snapshots/${cp.checkpoint_id}/data/big.bin`)?.size).toBe(big.length);
    expect(readdirSync(join(repo.dir, '.git/specmap')).filter((f) => f.startsWith('zip-blob'))).toEqual([]);
  });
});

describe('specmap restore from the ZIP exports', () => {
  it('falls back to the session ZIP once the refs are deleted and git gc pruned the objects', async () => {
    const { repo, o, c1, c2 } = await session();
    await ok(['end', '@', '9'], { ...o, now: '2025-10-25T18:00:00' });
    const zip = join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`);
    const names = (await listZip(zip)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining([
      `snapshots/${c1.checkpoint_id}/src/index.js`, `snapshots/${c1.checkpoint_id}/lib/index.js`, `snapshots/${c1.checkpoint_id}/bin/run.sh`,
      `snapshots/${c2.checkpoint_id}/src/index.js`, `snapshots/${c1.checkpoint_id}.yaml`, 'session.yaml',
    ]));

    repo.git('update-ref', '-d', `refs/sessions/${ID}`);
    for (const t of repo.git('tag', '-l', 'checkpoints/*').split('\n')) repo.git('tag', '-d', t);
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
    expect(() => repo.git('cat-file', '-e', c1.commit)).toThrow();

    const list = JSON.parse((await ok(['restore', '--list-checkpoints', ID, '--json'], o)).stdout);
    expect(list.checkpoints.map((c: { source: string; in_git: boolean }) => [c.source, c.in_git])).toEqual([['zip', false], ['zip', false]]);
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--json'], o)).stdout);
    expect(r.source).toBe('zip');
    const dest = `${ACTIVE}/${ID}-${c1.checkpoint_id}-restored`;
    // Same base name, different folders: both survive, each with its own content.
    expect(read(repo, `${dest}/src/index.js`)).toBe('src v1\n');
    expect(read(repo, `${dest}/lib/index.js`)).toBe('lib v1\n');
    const v2 = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c2.checkpoint_id, '--json'], o)).stdout);
    expect(v2.deleted).toEqual(['lib/index.js']);
    expect((await ok(['log', ID, '--oneline'], o)).stdout).toContain(`------- ${c2.checkpoint_id} v2`);
    const d = await runCli(['diff', `${ID}:${c1.checkpoint_id}`], o);
    expect(d.code).toBe(4);
    expect(oneLineError(d)).toMatch(/git objects are gone/);
  });

  it('lists session backups and restores one to <id>-restored/, never over existing work', async () => {
    const { repo, o } = await session();
    writeFileSync(join(repo.dir, ACTIVE, ID, 'notes', 'idea.md'), 'an idea\n');
    await ok(['end', '@'], o);
    const list = JSON.parse((await ok(['restore', '--list-backups', '--json'], o)).stdout);
    expect(list).toEqual({ backups: [expect.objectContaining({ kind: 'session', name: ID, zip: `04-agents/backups/sessions/${ID}-backup.zip`, zip_exists: true })] });
    const r = JSON.parse((await ok(['restore', '--restore-backup', '2025-10-25-session-001', '--json'], o)).stdout);
    expect(r.destination).toBe(`${ACTIVE}/${ID}-restored/`);
    expect(read(repo, `${ACTIVE}/${ID}-restored/notes/idea.md`)).toBe('an idea\n');
    expect(parse(read(repo, `${ACTIVE}/${ID}-restored/session.yaml`)).session.status).toBe('completed');
    expect((await runCli(['restore', '--restore-backup', ID], o)).code).toBe(7);
    await ok(['restore', '--restore-backup', ID, '--force'], o);
    // The restored copy is not an active session.
    expect(JSON.parse((await ok(['list', '--json'], o)).stdout).sessions).toEqual([]);
  });

  it.each([
    ['a zip-slip entry', [{ name: '../../escape.txt', data: 'x' }], /unsafe name \(it has a '\.\.' component\)/],
    ['an absolute entry', [{ name: '/tmp/abs.txt', data: 'x' }], /absolute path|outside the destination/],
    ['a symlink entry', [{ name: 'link', data: '/etc', unixMode: 0o120777 }], /symbolic link/],
  ])('refuses a backup with %s and writes nothing', async (_label, entries, message) => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['init'], o);
    writeRawZip(join(repo.dir, '04-agents/backups/sessions/2025-10-25-session-001-evil-backup.zip'), [{ name: 'session.yaml', data: 'x' }, ...entries]);
    const r = await runCli(['restore', '--restore-backup', '2025-10-25-session-001-evil'], o);
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(message);
    expect(readdirSync(join(repo.dir, ACTIVE))).toEqual([]);
    expect(existsSync(join(repo.dir, '..', 'escape.txt'))).toBe(false);
  });

  it('calls a truncated backup corrupt and an unknown one missing', async () => {
    const { repo, o } = await session();
    await ok(['end', '@'], o);
    const zip = join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`);
    const bytes = readFileSync(zip);
    writeFileSync(zip, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await runCli(['restore', '--restore-backup', ID], o);
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(/corrupt/);
    expect(existsSync(join(repo.dir, ACTIVE, `${ID}-restored`))).toBe(false);
    const missing = await runCli(['restore', '--restore-backup', '2030-01-01'], o);
    expect(missing.code).toBe(4);
    expect(oneLineError(missing)).toMatch(/no session backup matches/);
  });

  it('needs exactly one mode', async () => {
    const { o } = await session();
    const r = await runCli(['restore'], o);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/restore needs a command: checkpoint, backup, daily, milestone, list-checkpoints or list-backups \(or the spec's --list-backups/);
    expect((await runCli(['restore', '--list-backups', '--list-checkpoints', ID], o)).code).toBe(2);
  });
});
