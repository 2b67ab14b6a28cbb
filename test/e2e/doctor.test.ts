import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, runCli } from '../support/cli.js';

const ID = '2025-10-25-session-001-work';
const ACTIVE = `04-agents/sessions/active/${ID}`;

async function session(repo = makeRepo()) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'work'], { ...o, now: '2025-10-25T10:00:00' });
  return { repo, o };
}

async function doctor(repo: TestRepo, fix = false) {
  const r = await runCli(['doctor', '--json', ...(fix ? ['--fix'] : [])], { cwd: repo.dir, env: repo.env });
  return { code: r.code, result: JSON.parse(r.stdout) as { findings: { check: string; subject: string; fixable: boolean; fixed: boolean }[]; remaining: number } };
}

const checks = (r: { findings: { check: string }[] }) => r.findings.map((f) => f.check).sort();

describe('specmap doctor', () => {
  it('says all is well on a healthy project', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'a\n');
    await ok(['checkpoint', '@', 'a'], o);
    await ok(['end', '@'], o);
    await ok(['backup', 'daily'], o);
    const d = await doctor(repo);
    expect(d).toEqual({ code: 0, result: { findings: [], fixed: 0, remaining: 0 } });
  });

  it('finishes an interrupted end: the move, the summaries and the ZIP', async () => {
    const { repo } = await session();
    const yamlPath = join(repo.dir, ACTIVE, 'session.yaml');
    const doc = parse(readFileSync(yamlPath, 'utf8'));
    doc.session.status = 'completed';
    doc.session.end_time = '11:00:00';
    writeFileSync(yamlPath, stringify(doc));
    const before = await doctor(repo);
    expect(before.code).toBe(6);
    expect(checks(before.result)).toEqual(['interrupted-end']);
    const fixed = await doctor(repo, true);
    expect(fixed.code).toBe(0);
    expect(existsSync(join(repo.dir, `04-agents/sessions/archive/${ID}/session.yaml`))).toBe(true);
    expect(existsSync(join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`))).toBe(true);
    expect(readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8')).toContain(`| ${ID} |`);
    expect((await doctor(repo)).result.findings).toEqual([]);
  });

  it('records a checkpoint that reached git but not session.yaml, and recreates its tag', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'a\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'Saved before the crash', '--json'], { ...o, now: '2025-10-25T10:30:00' })).stdout);
    // What a kill between the ref move and the YAML write leaves behind:
    const yamlPath = join(repo.dir, ACTIVE, 'session.yaml');
    const doc = parse(readFileSync(yamlPath, 'utf8'));
    doc.checkpoints = [];
    writeFileSync(yamlPath, stringify(doc));
    rmSync(join(repo.dir, ACTIVE, `snapshots/${cp.checkpoint_id}.yaml`));
    repo.git('tag', '-d', `checkpoints/${ID}/${cp.checkpoint_id}`);

    // The plan fix carries out: record the checkpoint, then recreate its tag (the same with or without --fix).
    expect(checks((await doctor(repo)).result)).toEqual(['missing-tag', 'unrecorded-checkpoint']);
    expect((await doctor(repo, true)).code).toBe(0);
    const after = parse(readFileSync(yamlPath, 'utf8'));
    expect(after.checkpoints).toEqual([{ id: cp.checkpoint_id, time: cp.time, description: 'Saved before the crash', files_snapshot: cp.files.map((f: { path: string }) => f.path), commit: cp.commit }]);
    expect(repo.git('rev-parse', `checkpoints/${ID}/${cp.checkpoint_id}^{commit}`)).toBe(cp.commit);
    const restored = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, cp.checkpoint_id, '--json'], o)).stdout);
    expect(readFileSync(join(repo.dir, restored.destination, 'a.txt'), 'utf8')).toBe('a\n');
    expect((await doctor(repo)).result.findings).toEqual([]);
  });

  it('removes leftover temp files, parks an orphaned ref, re-exports a lost daily backup', async () => {
    const { repo, o } = await session();
    repo.write('TRACKING.md', '# t\n');
    await ok(['backup', 'daily'], { ...o, now: '2025-10-25T12:00:00' });
    rmSync(join(repo.dir, '04-agents/backups/daily/2025-10-25'), { recursive: true });
    mkdirSync(join(repo.dir, '04-agents/sessions/active/.2025-10-25-session-002-x.4242.1.tmp'));
    writeFileSync(join(repo.dir, '04-agents/backups/sessions/.a-backup.zip.4242.7.tmp'), 'half');
    writeFileSync(join(repo.dir, '.git/specmap-index.4242.3'), 'index');
    repo.git('update-ref', 'refs/sessions/2025-10-25-session-002-x', 'HEAD');

    const found = await doctor(repo);
    expect(checks(found.result)).toEqual(['lost-backup-export', 'orphan-ref', 'temp-file', 'temp-file', 'temp-file']);
    expect((await doctor(repo, true)).code).toBe(0);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions/.a-backup.zip.4242.7.tmp'))).toBe(false);
    expect(existsSync(join(repo.dir, '.git/specmap-index.4242.3'))).toBe(false);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/specmap/orphaned/')).toBe('refs/specmap/orphaned/2025-10-25-session-002-x');
    await ok(['backup', 'verify', '2025-10-25'], o);
    expect((await doctor(repo)).result.findings).toEqual([]);
  });

  it("merges the notes a killed notes write left on its private ref, then deletes the ref; a live writer's is left alone", async () => {
    const { repo } = await session();
    repo.git('commit', '-q', '--allow-empty', '-m', 'one');
    const one = repo.git('rev-parse', 'HEAD');
    repo.git('commit', '-q', '--allow-empty', '-m', 'two');
    const two = repo.git('rev-parse', 'HEAD');
    repo.git('notes', '--ref=specmap', 'add', '-m', '{"kept":1}', one);
    // A writer killed between its `git notes add` on the private ref and the swap: the ref holds one note more.
    const dead = 'refs/notes/tmp/specmap-999999-0a1b2c3d4e5f';
    repo.git('update-ref', dead, 'refs/notes/specmap');
    repo.git('notes', `--ref=${dead}`, 'add', '-m', '{"left":2}', two);
    const live = `refs/notes/tmp/specmap-${process.pid}-aaaaaaaaaaaa`;
    repo.git('update-ref', live, 'refs/notes/specmap');
    const found = await doctor(repo);
    expect(found.result.findings).toEqual([expect.objectContaining({ check: 'left-notes-ref', subject: dead, fixable: true })]);
    expect((await doctor(repo, true)).code).toBe(0);
    expect(repo.git('notes', '--ref=specmap', 'show', one)).toBe('{"kept":1}');
    expect(repo.git('notes', '--ref=specmap', 'show', two)).toBe('{"left":2}');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/notes/tmp/')).toBe(live);
  });

  it('recreates a deleted session ref at the newest checkpoint commit that is still in the object store', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'a\n');
    await ok(['checkpoint', '@', 'a'], o);
    repo.write('a.txt', 'b\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'b', '--json'], o)).stdout);
    repo.git('update-ref', '-d', `refs/sessions/${ID}`);
    const found = await doctor(repo);
    expect(found.result.findings).toEqual([expect.objectContaining({ check: 'missing-ref', fixable: true })]);
    expect((await doctor(repo, true)).code).toBe(0);
    expect(repo.git('rev-parse', `refs/sessions/${ID}`)).toBe(cp.commit);
    expect((await doctor(repo)).result.findings).toEqual([]);
  });

  /** What `git update-ref -d`, deleted tags and an aggressive gc leave of a session's checkpoints: nothing. */
  function pruneCheckpoints(repo: TestRepo) {
    repo.git('update-ref', '-d', `refs/sessions/${ID}`);
    for (const tag of repo.git('tag', '-l', 'checkpoints/*').split('\n')) repo.git('tag', '-d', tag);
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
  }

  it('after git gc pruned the checkpoint commits, says so (not "still in the object store") and recreates no ref', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'a\n');
    const c1 = JSON.parse((await ok(['checkpoint', '@', 'a', '--json'], o)).stdout);
    repo.write('a.txt', 'b\n');
    await ok(['checkpoint', '@', 'b'], o);
    pruneCheckpoints(repo);
    expect(() => repo.git('cat-file', '-e', c1.commit)).toThrow();

    const found = await doctor(repo);
    expect(found.code).toBe(6);
    const r = await runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(r.stdout).toMatch(/lost-commits: refs\/sessions\/.* is gone and so are the commits of its 2 checkpoint\(s\) \(pruned from the object store\); no session ZIP holds their files/);
    expect(r.stdout).not.toMatch(/still in the object store/);
    const fixed = await doctor(repo, true);
    expect(fixed.code).toBe(6);
    expect(fixed.result.findings).toEqual([expect.objectContaining({ check: 'lost-commits', fixable: false, fixed: false })]);
    expect(repo.git('for-each-ref', 'refs/sessions/')).toBe('');
  });

  it('after git gc, an ended session points to its ZIP, from which restore still works', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'from checkpoint a\n');
    const c1 = JSON.parse((await ok(['checkpoint', '@', 'a', '--json'], o)).stdout);
    await ok(['end', '@'], o);
    pruneCheckpoints(repo);
    const r = await runCli(['doctor'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`restore still reads the checkpoints' files from 04-agents/backups/sessions/${ID}-backup.zip`);
    expect((await doctor(repo, true)).result.findings).toEqual([expect.objectContaining({ check: 'lost-commits', fixed: false })]);
    expect(repo.git('for-each-ref', 'refs/sessions/')).toBe('');
    const restored = JSON.parse((await ok(['restore', '--restore-checkpoint', ID, c1.checkpoint_id, '--json'], o)).stdout);
    expect(restored.source).toBe('zip');
    expect(readFileSync(join(repo.dir, restored.destination, 'a.txt'), 'utf8')).toBe('from checkpoint a\n');
  });

  it('reports what it cannot fix without a person, and changes nothing for it', async () => {
    const { repo } = await session();
    mkdirSync(join(repo.dir, `04-agents/sessions/archive/${ID}`), { recursive: true });
    writeFileSync(join(repo.dir, `04-agents/sessions/archive/${ID}/session.yaml`), readFileSync(join(repo.dir, ACTIVE, 'session.yaml')));
    const r = await doctor(repo, true);
    expect(r.code).toBe(6);
    expect(r.result.findings).toEqual([expect.objectContaining({ check: 'duplicate-session', fixable: false, fixed: false })]);
    expect(existsSync(join(repo.dir, ACTIVE))).toBe(true);
  });
});
