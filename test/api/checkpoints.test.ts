import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessRepo, pinClock, rejection } from '../support/in-process.js';
import { start } from '../../src/api/start.js';
import { checkpoint } from '../../src/api/checkpoint.js';
import { log } from '../../src/api/log.js';
import { showCheckpoint } from '../../src/api/show-checkpoint.js';
import { diff } from '../../src/api/diff.js';

const ID = '2025-10-25-session-001-auth';
const WS = `04-agents/sessions/active/${ID}`;
// With no commits in the repository, the pinned clock and the test identity, every object below is fixed.
const BASE = '7b9aa431f1382404812bf6d6e5894cafc4c0dd24';
const CP1 = '6fc41a9407a4dac4a16266fe68ad925188e354f8';
const CP2 = '1bb62595edf3677c0ad04f5184ae20f0612f2c81';

/** A session started at 14:30 on an empty repository, then two checkpoints: 15:00 (auth.js added) and 16:00 (auth.js changed). */
async function twoCheckpoints() {
  const repo = inProcessRepo('2025-10-25T14:30:00', { commit: false });
  await start({ cwd: repo.dir, focus: 'auth' });
  repo.write('src/auth.js', 'login\n');
  pinClock('2025-10-25T15:00:00');
  const one = await checkpoint({ cwd: repo.dir, session: '@', description: 'Login' });
  repo.write('src/auth.js', 'login\nlogout\n');
  pinClock('2025-10-25T16:00:00');
  const two = await checkpoint({ cwd: join(repo.dir, 'src'), session: ID, description: 'Logout', files: ['auth.js'] });
  return { repo, one, two };
}

describe('api checkpoint', () => {
  it('commits on the session ref with exact ids, and records it', async () => {
    const { repo, one, two } = await twoCheckpoints();
    expect(one).toEqual({
      session_id: ID, checkpoint_id: 'checkpoint-001-15-00-00', time: '15:00:00', description: 'Login', commit: CP1, parent: BASE,
      tag: `refs/tags/checkpoints/${ID}/checkpoint-001-15-00-00`, git_ref: `refs/sessions/${ID}`,
      files: [
        { path: '.gitignore', status: 'added' },
        { path: `${WS}/README.md`, status: 'added' },
        { path: `${WS}/summary.md`, status: 'added' },
        { path: 'src/auth.js', status: 'added' },
      ],
      manifest: `${WS}/snapshots/checkpoint-001-15-00-00.yaml`, skipped_secrets: [],
    });
    expect(two).toMatchObject({ checkpoint_id: 'checkpoint-002-16-00-00', commit: CP2, parent: CP1, files: [{ path: 'src/auth.js', status: 'modified' }] });
    expect(repo.git('rev-parse', `refs/sessions/${ID}`)).toBe(CP2);
    expect(repo.git('rev-parse', `${two.tag}^{commit}`)).toBe(CP2);
    expect(readFileSync(join(repo.dir, two.manifest), 'utf8')).toContain(`commit: "${CP2}"`);
  });

  it('says NOTHING_TO_DO when nothing changed, unless empty checkpoints are allowed', async () => {
    const { repo, two } = await twoCheckpoints();
    expect(await rejection(() => checkpoint({ cwd: repo.dir, session: '@', description: 'again' }))).toMatchObject({ code: 'NOTHING_TO_DO' });
    const empty = await checkpoint({ cwd: repo.dir, session: '@', description: 'marker', allowEmpty: true });
    expect(empty).toMatchObject({ checkpoint_id: 'checkpoint-003-16-00-00', parent: two.commit, files: [] });
  });

  it('checks the description first and refuses paths it must not snapshot', async () => {
    const { repo } = await twoCheckpoints();
    expect(await rejection(() => checkpoint({ cwd: '/nonexistent', session: '@', description: '  ' }))).toMatchObject({ code: 'INVALID_INPUT', details: { kind: 'description' } });
    expect(await rejection(() => checkpoint({ cwd: repo.dir, session: '@', description: 'x', files: [`${WS}/session.yaml`] }))).toMatchObject({
      code: 'INVALID_INPUT', details: { kind: 'managed-path' },
    });
    expect((await rejection(() => checkpoint({ cwd: repo.dir, session: '@', description: 'x', files: ['../outside'] }))).code).toBe('PATH_OUTSIDE_PROJECT');
    expect((await rejection(() => checkpoint({ cwd: repo.dir, session: 'nope', description: 'x' }))).code).toBe('SESSION_NOT_FOUND');
  });

  it('recreates a deleted session ref from the last recorded checkpoint', async () => {
    const { repo, two } = await twoCheckpoints();
    repo.git('update-ref', '-d', `refs/sessions/${ID}`);
    repo.write('src/auth.js', 'v3\n');
    const three = await checkpoint({ cwd: repo.dir, session: '@', description: 'v3' });
    expect(three.parent).toBe(two.commit);
  });

  it('reads the session ref by its full name only: a branch named like it is not the session', async () => {
    const { repo, two } = await twoCheckpoints();
    // A branch refs/heads/refs/sessions/<id> on an unrelated commit, and the session ref itself gone.
    repo.git('commit', '-q', '--allow-empty', '-m', 'unrelated');
    repo.git('branch', `refs/sessions/${ID}`, 'HEAD');
    repo.git('update-ref', '-d', `refs/sessions/${ID}`);
    repo.write('src/auth.js', 'v3\n');
    const three = await checkpoint({ cwd: repo.dir, session: '@', description: 'v3' });
    expect(three.parent).toBe(two.commit);
    expect(repo.git('rev-parse', `refs/sessions/${ID}`)).toBe(three.commit);
  });
});

describe('api log / showCheckpoint / diff', () => {
  it('logs newest first in the contract shape, with a limit', async () => {
    const { repo } = await twoCheckpoints();
    const r = await log({ cwd: repo.dir });
    expect(r.checkpoints.map((e) => [e.checkpoint_id, e.number, e.commit])).toEqual([
      ['checkpoint-002-16-00-00', 2, CP2],
      ['checkpoint-001-15-00-00', 1, CP1],
    ]);
    expect(r.checkpoints[1]).toEqual({
      session_id: ID, checkpoint_id: 'checkpoint-001-15-00-00', number: 1, date: '2025-10-25', time: '15:00:00', description: 'Login', agent: 'claude',
      files: ['.gitignore', `${WS}/README.md`, `${WS}/summary.md`, 'src/auth.js'], commit: CP1,
      tag: `refs/tags/checkpoints/${ID}/checkpoint-001-15-00-00`, in_git: true, source: 'git',
    });
    expect((await log({ cwd: repo.dir, session: ID, limit: 1, stat: true })).checkpoints).toEqual([
      expect.objectContaining({ checkpoint_id: 'checkpoint-002-16-00-00', stat: repo.git('diff', '--stat', CP1, CP2) + '\n' }),
    ]);
  });

  it('shows one checkpoint by ~N or prefix, with its patch', async () => {
    const { repo } = await twoCheckpoints();
    const newest = await showCheckpoint({ cwd: repo.dir, session: '@', checkpoint: '~0' });
    expect(newest).toMatchObject({ checkpoint_id: 'checkpoint-002-16-00-00', commit: CP2, patch: `${repo.git('diff', CP1, CP2)}\n` });
    expect((await showCheckpoint({ cwd: repo.dir, session: '2025-10-25', checkpoint: 'checkpoint-001' })).commit).toBe(CP1);
    expect((await showCheckpoint({ cwd: repo.dir, session: '@', checkpoint: '~' })).commit).toBe(CP1);
  });

  it('fails with the checkpoint codes: too far back, unknown, ambiguous, malformed', async () => {
    const { repo } = await twoCheckpoints();
    const show = (checkpoint: string) => rejection(() => showCheckpoint({ cwd: repo.dir, session: '@', checkpoint }));
    expect(await show('~2')).toMatchObject({ code: 'CHECKPOINT_NOT_FOUND', details: { kind: 'too-far-back' } });
    expect(await show('checkpoint-009')).toMatchObject({ code: 'CHECKPOINT_NOT_FOUND', details: { kind: 'not-found' } });
    expect(await show('checkpoint-00')).toMatchObject({ code: 'SESSION_AMBIGUOUS', details: { kind: 'ambiguous', matches: ['checkpoint-001-15-00-00', 'checkpoint-002-16-00-00'] } });
    expect(await show('../x')).toMatchObject({ code: 'INVALID_INPUT', details: { kind: 'checkpoint-ref' } });
  });

  it('diffs two checkpoints, or one against the working tree, from structured specs', async () => {
    const { repo } = await twoCheckpoints();
    const between = await diff({ cwd: repo.dir, from: { session: '@', checkpoint: '~1' }, to: { session: ID, checkpoint: '~0' } });
    expect(between).toEqual({
      from: { session_id: ID, checkpoint_id: 'checkpoint-001-15-00-00', commit: CP1 },
      to: { session_id: ID, checkpoint_id: 'checkpoint-002-16-00-00', commit: CP2 },
      diff: `${repo.git('diff', CP1, CP2)}\n`,
    });
    repo.write('src/new.js', 'untracked\n');
    const wt = await diff({ cwd: repo.dir, from: { session: '@', checkpoint: '~0' } });
    expect(wt.to).toBeNull();
    expect(wt.diff).toContain('+++ b/src/new.js');
    rmSync(join(repo.dir, 'src/new.js'));
    mkdirSync(join(repo.dir, 'src/empty'));
    expect((await diff({ cwd: repo.dir, from: { session: '@', checkpoint: '~0' }, stat: true })).diff).toBe('');
  });
});
