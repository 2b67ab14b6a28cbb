import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBackups } from '../../src/api/list-backups.js';
import { listCheckpoints } from '../../src/api/list-checkpoints.js';
import { restoreBackup } from '../../src/api/restore-backup.js';
import { restoreCheckpoint } from '../../src/api/restore-checkpoint.js';
import type { SpecmapError } from '../../src/shared/errors.js';
import { ok } from '../support/cli.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { useRepoEnv } from '../support/in-process.js';

const ID = '2025-10-25-session-001-authentication';
const ACTIVE = '04-agents/sessions/active';

/** A repository whose git and clock this process (the in-process api) uses too. */
function repoHere(): TestRepo {
  const repo = makeRepo();
  useRepoEnv(repo, { SPECMAP_NOW: '2025-10-25T17:00:00' });
  return repo;
}

/** Two checkpoints made with the CLI: src/index.js v1 then v2, lib/index.js deleted in the second. */
async function session() {
  const repo = repoHere();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'authentication'], { ...o, now: '2025-10-25T14:30:00' });
  repo.write('src/index.js', 'src v1\n');
  repo.write('lib/index.js', 'lib v1\n');
  await ok(['checkpoint', '@', 'v1', 'src', 'lib'], { ...o, now: '2025-10-25T15:00:00' });
  repo.write('src/index.js', 'src v2\n');
  rmSync(join(repo.dir, 'lib/index.js'));
  await ok(['checkpoint', '@', 'v2', 'src', 'lib'], { ...o, now: '2025-10-25T16:30:00' });
  const { checkpoints } = await listCheckpoints({ cwd: repo.dir, session: '@' });
  return { repo, o, c1: checkpoints[0]!.checkpoint_id, c2: checkpoints[1]!.checkpoint_id };
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);

describe('api listCheckpoints', () => {
  it('lists a session oldest first, in the contract shape, with the commit and tag of each', async () => {
    const { repo, c1, c2 } = await session();
    const tag = (c: string) => `refs/tags/checkpoints/${ID}/${c}`;
    const r = await listCheckpoints({ cwd: join(repo.dir, 'src'), session: ID.slice(0, 22) });
    expect(r).toEqual({
      session_id: ID,
      checkpoints: [
        {
          session_id: ID, checkpoint_id: c1, number: 1, date: '2025-10-25', time: '15:00:00', description: 'v1', agent: expect.any(String),
          files: ['lib/index.js', 'src/index.js', 'src/main.js'], commit: repo.git('rev-parse', `${tag(c1)}^{commit}`), tag: tag(c1),
          in_git: true, source: 'git',
        },
        expect.objectContaining({ checkpoint_id: c2, number: 2, time: '16:30:00', commit: repo.git('rev-parse', `${tag(c2)}^{commit}`), source: 'git' }),
      ],
    });
  });

  it('settles queued work first: an owed session ZIP is written before the list is read', async () => {
    const { repo, o } = await session();
    await ok(['end', '@'], o);
    const zip = join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`);
    rmSync(zip);
    const pending = join(repo.dir, '.git/specmap/pending-backups');
    mkdirSync(pending, { recursive: true });
    writeFileSync(join(pending, ID), `${ID}\n`);
    await listCheckpoints({ cwd: repo.dir, session: ID });
    expect(existsSync(zip)).toBe(true);
    expect(existsSync(join(pending, ID))).toBe(false);
  });

  it('fails with stable codes: unknown session, not a repository', async () => {
    const { repo } = await session();
    expect(await codeOf(listCheckpoints({ cwd: repo.dir, session: '2099-01-01-session-001' }))).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(listCheckpoints({ cwd: scratch(), session: '@' }))).toBe('NOT_A_REPO');
  });
});

describe('api restoreCheckpoint', () => {
  it('writes a -restored folder, refuses to overwrite it without force, and reports the absent file', async () => {
    const { repo, c1, c2 } = await session();
    const dest = `${ACTIVE}/${ID}-${c1}-restored/`;
    expect(await restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: c1 })).toEqual({
      session_id: ID, checkpoint_id: c1, source: 'git', destination: dest, written: ['lib/index.js', 'src/index.js', 'src/main.js'], deleted: [], skipped: [], safety: null,
    });
    expect(readFileSync(join(repo.dir, dest, 'src/index.js'), 'utf8')).toBe('src v1\n');
    expect(readFileSync(join(repo.dir, 'src/index.js'), 'utf8')).toBe('src v2\n');
    const refused = await restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: c1 }).catch((e: SpecmapError) => e);
    // The domain names no CLI flag: the CLI adds "(use --force …)", MCP its own words.
    expect(refused).toMatchObject({ code: 'CONFLICT', message: `${dest} already exists`, details: { kind: 'exists' } });
    await restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: c1, force: true });
    const v2 = await restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: '~0' });
    expect([v2.checkpoint_id, v2.written, v2.deleted]).toEqual([c2, ['src/index.js', 'src/main.js'], ['lib/index.js']]);
  });

  it('in place: paths resolve against cwd, a safety checkpoint comes first, and its undo is in the result', async () => {
    const { repo, c1 } = await session();
    repo.write('src/index.js', 'unsaved work');
    const r = await restoreCheckpoint({ cwd: join(repo.dir, 'src'), session: ID, checkpoint: c1, inPlace: true, paths: ['index.js'] });
    expect(r).toEqual({
      session_id: ID, checkpoint_id: c1, source: 'git', destination: '.', written: ['src/index.js'], deleted: [], skipped: [],
      safety: { session_id: ID, checkpoint_id: expect.stringMatching(/^checkpoint-003-/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), undo: expect.any(String) },
    });
    expect(r.safety!.undo).toBe(`specmap restore --restore-checkpoint ${ID} ${r.safety!.checkpoint_id} --in-place -- src/index.js`);
    expect(repo.git('show', `${r.safety!.commit}:src/index.js`)).toBe('unsaved work');
    expect(readFileSync(join(repo.dir, 'src/index.js'), 'utf8')).toBe('src v1\n');
  });

  it('fails with stable codes and changes nothing', async () => {
    const { repo, c1 } = await session();
    expect(await codeOf(restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: 'checkpoint-404' }))).toBe('CHECKPOINT_NOT_FOUND');
    expect(await codeOf(restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: c1, inPlace: true, paths: ['../outside.txt'] }))).toBe('PATH_OUTSIDE_PROJECT');
    expect(await codeOf(restoreCheckpoint({ cwd: repo.dir, session: '@', checkpoint: c1, paths: ['nowhere'] }))).toBe('NOTHING_TO_DO');
    expect(readFileSync(join(repo.dir, 'src/index.js'), 'utf8')).toBe('src v2\n');
    expect(existsSync(join(repo.dir, `${ACTIVE}/${ID}-${c1}-restored`))).toBe(false);
  });
});

describe('api listBackups and restoreBackup (session ZIPs)', () => {
  it('lists the session ZIP, restores it by prefix to <id>-restored/, and refuses what it cannot name', async () => {
    const { repo, o } = await session();
    writeFileSync(join(repo.dir, ACTIVE, ID, 'notes', 'idea.md'), 'an idea\n');
    await ok(['end', '@'], o);
    const zip = `04-agents/backups/sessions/${ID}-backup.zip`;
    expect(await listBackups({ cwd: repo.dir, kind: 'session' })).toEqual({
      backups: [{
        kind: 'session', name: ID, format: 'zip', zip, zip_exists: true, manifest: `04-agents/backups/sessions/${ID}-backup.manifest.json`, checksum: `${zip}.sha256`,
        ref: null, ref_exists: false, bytes: readFileSync(join(repo.dir, zip)).length, files: expect.any(Number), written: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }],
    });
    expect(await restoreBackup({ cwd: repo.dir, session: '2025-10-25-session-001' })).toEqual({
      session_id: ID, backup: zip, destination: `${ACTIVE}/${ID}-restored/`, files: expect.any(Number), fetched: [],
    });
    expect(readFileSync(join(repo.dir, `${ACTIVE}/${ID}-restored/notes/idea.md`), 'utf8')).toBe('an idea\n');
    expect(await codeOf(restoreBackup({ cwd: repo.dir, session: ID }))).toBe('CONFLICT');
    expect(await codeOf(restoreBackup({ cwd: repo.dir, session: ID, force: true }))).toBe('resolved');
    expect(await codeOf(restoreBackup({ cwd: repo.dir, session: '@' }))).toBe('INVALID_INPUT');
    expect(await codeOf(restoreBackup({ cwd: repo.dir, session: '2099' }))).toBe('BACKUP_NOT_FOUND');
  });

  it('calls a prefix that matches two session ZIPs ambiguous', async () => {
    const repo = repoHere();
    const dir = join(repo.dir, '04-agents/backups/sessions');
    mkdirSync(dir, { recursive: true });
    for (const id of ['2025-10-25-session-001-a', '2025-10-25-session-002-b']) writeFileSync(join(dir, `${id}-backup.zip`), '');
    expect(await codeOf(restoreBackup({ cwd: repo.dir, session: '2025-10-25-session-00' }))).toBe('SESSION_AMBIGUOUS');
  });
});
