import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

/**
 * Issue 18's data-loss cases that need no special file system: a --force restore target that would destroy
 * specmap's records or uncommitted work, a queue taken by a recorder that was killed, the temp files an in-place
 * restore killed half way leaves in the user's folders, and a checkpoint description that looks like trailers.
 * Kills are deterministic: SPECMAP_TEST_KILL_AT=<step> makes the CLI SIGKILL itself there (src/shared/kill-point.ts).
 */

const o = (repo: TestRepo, env: Record<string, string> = {}) => ({ cwd: repo.dir, env: { ...repo.env, SPECMAP_BACKGROUND: '0', ...env } });

/** Every file under `dir` (project-relative), .git left out. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (p === '.git') return [];
    return d.isDirectory() ? filesUnder(dir, p) : [p];
  }).sort();
}

/** A CLI run that killed itself at `step`: it must have died of SIGKILL, not exited. */
async function killedAt(step: string, args: string[], repo: TestRepo): Promise<void> {
  const r = await runCli(args, o(repo, { SPECMAP_TEST_KILL_AT: step }));
  expect(r.code, `specmap ${args.join(' ')} should have been killed at ${step}: ${r.stderr}`).toBe(-1);
}

async function sessionDoc(repo: TestRepo) {
  return JSON.parse((await ok(['show', '@', '--json'], o(repo))).stdout).document;
}

describe('restore --to: a destination that would destroy data is refused', () => {
  async function withMilestone() {
    const repo = makeRepo();
    await ok(['start', 'targets'], o(repo));
    repo.write('TRACKING.md', '# t\n');
    repo.write('src/lib.js', 'lib\n');
    repo.commitAll('src');
    await ok(['backup', 'milestone', 'm1'], o(repo));
    await ok(['end', '@'], o(repo));
    await ok(['start', 'second'], o(repo));
    return repo;
  }

  it('refuses 04-agents/, a folder inside it or holding it, .git and the project root, even with --force, changing nothing', async () => {
    const repo = await withMilestone();
    const before = filesUnder(repo.dir);
    expect(before.some((f) => f.startsWith('04-agents/sessions/archive/'))).toBe(true);
    expect(before.some((f) => f.endsWith('-backup.zip'))).toBe(true);
    const cases: [string, RegExp][] = [
      ['04-agents', /specmap's own records/],
      ['04-agents/sessions', /specmap's own records/],
      ['04-agents/backups/sessions', /specmap's own records/],
      ['04-agents/backups/restored', /specmap's own records/],
      ['.git', /inside \.git/],
      ['.git/refs', /inside \.git/],
      ['.', /the project itself/],
      [repo.dir, /the project itself/],
    ];
    for (const [to, why] of cases) {
      const r = await runCli(['restore', '--restore-milestone', 'm1', '--to', to, '--force'], o(repo));
      expect(r.code, `--to ${to}: ${r.stderr}`).toBe(5);
      expect(oneLineError(r)).toMatch(why);
      expect(filesUnder(repo.dir), `--to ${to}`).toEqual(before);
    }
    // The git dir of a linked worktree's main repository, from outside the project, is refused too.
    const r = await runCli(['restore', '--restore-milestone', 'm1', '--to', join(repo.dir, '.git'), '--force'], o(repo));
    expect(r.code).toBe(5);
    expect(repo.git('cat-file', '-t', 'refs/tags/milestones/m1')).toBe('tag');
    // specmap's own restore area still works, and --force replaces a restore there.
    await ok(['restore', '--restore-milestone', 'm1'], o(repo));
    await ok(['restore', '--restore-milestone', 'm1', '--force'], o(repo));
    await ok(['restore', '--restore-milestone', 'm1', '--to', '04-agents/backups/restored/again'], o(repo));
  });

  it('refuses --force over a folder holding untracked, ignored or uncommitted files, and replaces a clean one', async () => {
    const repo = await withMilestone();
    repo.write('src/untracked.txt', 'only here\n');
    let r = await runCli(['restore', '--restore-milestone', 'm1', '--to', 'src', '--force'], o(repo));
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/cannot replace src\/: it holds work git does not have \(src\/untracked\.txt\)/);
    expect(readFileSync(join(repo.dir, 'src/untracked.txt'), 'utf8')).toBe('only here\n');

    repo.git('add', 'src/untracked.txt');
    repo.git('commit', '-q', '-m', 'keep');
    repo.write('src/lib.js', 'edited, not committed\n');
    r = await runCli(['restore', '--restore-milestone', 'm1', '--to', 'src', '--force'], o(repo));
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/src\/lib\.js/);
    expect(readFileSync(join(repo.dir, 'src/lib.js'), 'utf8')).toBe('edited, not committed\n');

    repo.git('checkout', '--', 'src/lib.js');
    repo.write('.gitignore', 'secret.env\n');
    repo.git('add', '.gitignore');
    repo.git('commit', '-q', '-m', 'ignore');
    repo.write('src/secret.env', 'TOKEN=1\n');
    r = await runCli(['restore', '--restore-milestone', 'm1', '--to', 'src', '--force'], o(repo));
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/src\/secret\.env/);
    expect(existsSync(join(repo.dir, 'src/secret.env'))).toBe(true);

    // A folder git holds exactly as it is can be replaced: its files are all in git.
    repo.write('copy/a.txt', 'a\n');
    repo.commitAll('copy');
    const done = JSON.parse((await ok(['restore', '--restore-milestone', 'm1', '--to', 'copy', '--force', '--json'], o(repo))).stdout);
    expect(done.destination).toBe('copy/');
    expect(existsSync(join(repo.dir, 'copy/src/lib.js'))).toBe(true);
  });
});

describe('a queue taken by a process that was killed', () => {
  function commitQueued(repo: TestRepo, from: number, n: number): string[] {
    const shas: string[] = [];
    for (let i = from; i < from + n; i++) {
      repo.write(`c/${i}.txt`, `${i}\n`);
      repo.git('add', '-A', 'c');
      const r = spawnSync('git', ['commit', '-q', '-m', `c${i}`], { cwd: repo.dir, env: { ...repo.env, SPECMAP_BACKGROUND: '0' }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      shas.push(repo.git('rev-parse', 'HEAD'));
    }
    return shas;
  }

  it('is re-read by the next command: every commit recorded once, in order; doctor reports it while it waits', async () => {
    const repo = makeRepo();
    await ok(['hooks', 'install'], o(repo));
    await ok(['start', 'queue'], o(repo));
    const first = commitQueued(repo, 0, 6);
    await killedAt('queue-taken', ['list'], repo);
    const taken = readdirSync(join(repo.dir, '.git/specmap')).filter((f) => f.endsWith('.taken'));
    expect(taken).toHaveLength(1);

    // doctor (without --fix) reports the stale queue and settles nothing.
    const found = await runCli(['doctor', '--json'], o(repo));
    expect(found.code).toBe(6);
    expect(JSON.parse(found.stdout).findings.map((f: { check: string; message: string }) => [f.check, f.message])).toEqual([
      ['stale-queue', expect.stringMatching(/^6 queued commits taken by process \d+, which was killed/)],
    ]);

    // More commits queue up behind it; a recorder killed after the first line it worked through leaves the rest.
    const second = commitQueued(repo, 6, 3);
    await killedAt('queue-line-worked', ['list'], repo);
    const doc = await sessionDoc(repo);
    expect(doc.commits).toEqual([...first, ...second]);
    expect(doc.artifacts.created).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `c/${i}.txt`));
    expect(readdirSync(join(repo.dir, '.git/specmap')).filter((f) => f.startsWith('pending-commits'))).toEqual([]);
    expect((await runCli(['doctor', '--json'], o(repo))).code).toBe(0);
  });

  it('applies queued agent events of a killed taker once, before the newer ones', async () => {
    const repo = makeRepo();
    const queue = join(repo.dir, '.git/specmap/pending-agent-events');
    const ev = (file: string) => JSON.stringify({ ev: { kind: 'file-written', conversation: 'conv-1', agent: 'claude-code', path: file, action: 'created' } });
    mkdirSync(join(repo.dir, '.git/specmap'), { recursive: true });
    appendFileSync(queue, `${ev('a.txt')}\n${ev('b.txt')}\n`);
    await killedAt('queue-taken', ['list'], repo);
    expect(existsSync(queue)).toBe(false);
    appendFileSync(queue, `${ev('c.txt')}\n`);
    const r = await runCli(['doctor', '--fix', '--json'], o(repo));
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: { check: string }) => f.check)).toEqual(['stale-queue']);
    expect(readdirSync(join(repo.dir, '.git/specmap')).filter((f) => f.startsWith('pending-agent-events'))).toEqual([]);
    // One session for the conversation (its first event opened it, once), every file listed once, in order.
    const sessions = JSON.parse((await ok(['list', '--json'], o(repo))).stdout).sessions as unknown[];
    expect(sessions).toHaveLength(1);
    expect((await sessionDoc(repo)).artifacts.created).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });
});

describe('an in-place restore killed after staging', () => {
  it('leaves temp files that the next command removes, that no checkpoint takes, and that doctor finds', async () => {
    const repo = makeRepo();
    await ok(['start', 'staged'], o(repo));
    repo.write('src/f13.txt', 'v1\n');
    repo.write('src/deep/new/g.txt', 'g1\n');
    const c1 = JSON.parse((await ok(['checkpoint', '@', 'v1', '--json'], o(repo))).stdout);
    repo.write('src/f13.txt', 'v2\n');
    const c2 = JSON.parse((await ok(['checkpoint', '@', 'v2', '--json'], o(repo))).stdout);
    const before = filesUnder(repo.dir);

    await killedAt('restore-staged', ['restore', '--restore-checkpoint', '@', c1.checkpoint_id, '--in-place'], repo);
    const leftover = filesUnder(repo.dir).filter((f) => !before.includes(f));
    expect(leftover).toEqual([expect.stringMatching(/^src\/\.f13\.txt\.specmap-\d+-\d+\.tmp$/)]);
    expect(readFileSync(join(repo.dir, 'src/f13.txt'), 'utf8')).toBe('v2\n');

    // doctor sees the temp file in the user's folder (and the staging folder and journal in the git dir).
    const found = JSON.parse((await runCli(['doctor', '--json'], o(repo))).stdout).findings as { check: string; subject: string }[];
    expect(found.filter((f) => f.check === 'temp-file').map((f) => f.subject)).toContain(leftover[0]);

    // The next checkpoint (which takes the lock) sweeps it first; and a checkpoint never takes such a name.
    repo.write('src/other.txt', 'x\n');
    writeFileSync(join(repo.dir, 'src/.keep.txt.specmap-999999-1.tmp'), 'not project state\n');
    const c3 = JSON.parse((await ok(['checkpoint', '@', 'after', '--json'], o(repo))).stdout);
    expect(filesUnder(repo.dir).filter((f) => /\.specmap-\d+-\d+\.tmp$/.test(f))).toEqual(['src/.keep.txt.specmap-999999-1.tmp']);
    expect(repo.git('ls-tree', '-r', '--name-only', c3.commit).split('\n').filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(repo.dir, '.git/specmap')).filter((f) => /^(placed|restore)\./.test(f))).toEqual([]);
    const fixed = await runCli(['doctor', '--fix', '--json'], o(repo));
    expect(JSON.parse(fixed.stdout).findings.map((f: { subject: string }) => f.subject)).toEqual(['src/.keep.txt.specmap-999999-1.tmp']);
    expect((await runCli(['doctor', '--json'], o(repo))).code).toBe(0);

    // The restore itself still works afterwards.
    await ok(['restore', '--restore-checkpoint', '@', c1.checkpoint_id, '--in-place'], o(repo));
    expect(readFileSync(join(repo.dir, 'src/f13.txt'), 'utf8')).toBe('v1\n');
    expect(filesUnder(repo.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(c2.checkpoint_id).not.toBe(c1.checkpoint_id);
  });
});

describe('a checkpoint description that looks like trailers', () => {
  it('cannot forge a trailer: doctor recovers the checkpoint into its own session and log shows the text as written', async () => {
    const repo = makeRepo();
    await ok(['start', 'trailers'], o(repo));
    const id = JSON.parse((await ok(['show', '@', '--json'], o(repo))).stdout).document.session.id as string;
    const yaml = join(repo.dir, '04-agents/sessions/active', id, 'session.yaml');
    const description = 'fix login\n\nSession-Id: other\nCheckpoint-Id: cp-999';
    repo.write('a.txt', 'a\n');
    const before = readFileSync(yaml);
    const cp = JSON.parse((await ok(['checkpoint', '@', description, '--json'], o(repo))).stdout);
    expect(cp.description).toBe(description);
    // The state a kill after the ref moved leaves: git has the checkpoint, session.yaml does not.
    writeFileSync(yaml, before);
    const found = JSON.parse((await runCli(['doctor', '--json'], o(repo))).stdout).findings as { check: string; subject: string }[];
    expect(found.map((f) => [f.check, f.subject])).toEqual([['unrecorded-checkpoint', id]]);
    expect((await runCli(['doctor', '--fix'], o(repo))).code).toBe(0);
    const log = JSON.parse((await ok(['log', '@', '--json'], o(repo))).stdout);
    const entry = log.checkpoints.find((e: { checkpoint_id?: string }) => e.checkpoint_id === cp.checkpoint_id);
    expect(entry.description).toBe(description);
    expect(JSON.parse((await ok(['show', '@', '--json'], o(repo))).stdout).document.checkpoints.map((c: { id: string }) => c.id)).toEqual([cp.checkpoint_id]);
    expect(statSync(yaml).size).toBeGreaterThan(before.length);
  });
});
