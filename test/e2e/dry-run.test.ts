import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv, makeRepo, scratch } from '../support/repo.js';
import { ok, oneLineError, runCli, type CliOptions } from '../support/cli.js';
import { repoState } from '../support/state.js';

// Every --dry-run shows the plan the real run carries out and changes nothing: each test takes the repository's
// complete state (repoState: every file under it, .git included, the refs, HEAD and the index) before and after the
// dry run, then runs the real command and checks it did what the dry run said.

const NOW = '2025-10-25T10:00:00';
const ID = '2025-10-25-session-001-work';

async function dryRun(args: string[], o: CliOptions, dirs: { dir: string; bare?: boolean }[] = [{ dir: o.cwd }]) {
  const before = dirs.map((d) => repoState(d.dir, o.env, d));
  const r = await runCli([...args, '--dry-run', '--json'], o);
  expect(dirs.map((d) => repoState(d.dir, o.env, d))).toEqual(before);
  return r;
}

async function session() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env, now: NOW };
  await ok(['start', 'work'], o);
  return { repo, o };
}

describe('--dry-run changes nothing and shows what the real run does', () => {
  it('doctor --fix --dry-run: the findings --fix repairs, and the queued work it settles first', async () => {
    const { repo, o } = await session();
    repo.write('TRACKING.md', '# t\n');
    repo.write('a.txt', 'a\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'a', '--json'], o)).stdout);
    await ok(['backup', 'daily'], o);
    rmSync(join(repo.dir, '04-agents/backups/daily/2025-10-25'), { recursive: true });
    repo.git('tag', '-d', `checkpoints/${ID}/${cp.checkpoint_id}`);
    repo.git('update-ref', 'refs/sessions/2025-10-25-session-009-gone', 'HEAD');
    writeFileSync(join(repo.dir, '.git/specmap-index.4242.3'), 'index');
    // A commit the post-commit shim queued and no command has recorded yet.
    repo.git('commit', '-q', '--allow-empty', '-m', 'queued');
    writeFileSync(join(repo.dir, '.git/specmap/pending-commits'), `${repo.git('rev-parse', 'HEAD')}\n`);

    const r = await dryRun(['doctor', '--fix'], o);
    expect(r.code).toBe(6);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ dry_run: true, fixed: 0 });
    expect(plan.queued_work).toEqual(['1 commit queued by the post-commit hook would be recorded first']);
    const would = plan.findings.filter((f: { fixable: boolean }) => f.fixable).map((f: { check: string; subject: string }) => `${f.check} ${f.subject}`).sort();
    expect(would).toEqual([
      'lost-backup-export daily 2025-10-25',
      `missing-tag refs/tags/checkpoints/${ID}/${cp.checkpoint_id}`,
      'orphan-ref refs/sessions/2025-10-25-session-009-gone',
      `temp-file ${join(repo.dir, '.git/specmap-index.4242.3')}`,
    ]);
    expect(plan.findings.every((f: { fixed: boolean }) => !f.fixed)).toBe(true);
    const text = await runCli(['doctor', '--fix', '--dry-run'], o);
    expect(text.stdout).toContain('🔧 would fix orphan-ref: refs/sessions/2025-10-25-session-009-gone');
    expect(text.stdout).toContain('Dry run: nothing was changed.');

    const real = await runCli(['doctor', '--fix', '--json'], o);
    expect(real.code).toBe(0);
    const done = JSON.parse(real.stdout);
    expect(done.dry_run).toBeUndefined();
    expect(done.findings.filter((f: { fixed: boolean }) => f.fixed).map((f: { check: string; subject: string }) => `${f.check} ${f.subject}`).sort()).toEqual(would);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/specmap/orphaned')).toBe('refs/specmap/orphaned/2025-10-25-session-009-gone');
  });

  it('restore --in-place --dry-run: the files it writes and removes, the safety checkpoint it would take', async () => {
    const { repo, o } = await session();
    repo.write('src/a.txt', 'v1\n');
    repo.write('src/b.txt', 'b\n');
    const cp1 = JSON.parse((await ok(['checkpoint', '@', 'one', '--json'], o)).stdout);
    repo.write('src/a.txt', 'v2\n');
    repo.write('src/c.txt', 'only in two\n');
    await ok(['checkpoint', '@', 'two'], o);
    repo.write('src/a.txt', 'v3, not checkpointed\n');
    repo.write('never.txt', 'no checkpoint holds this\n');

    const r = await dryRun(['restore', '--restore-checkpoint', '@', cp1.checkpoint_id, '--in-place'], o);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ dry_run: true, queued_work: [], destination: '.', source: 'git', written: ['src/a.txt'], deleted: ['src/c.txt'], skipped: [] });
    expect(plan.safety).toMatchObject({ session_id: ID, checkpoint_id: expect.stringMatching(/^checkpoint-003-/), commit: null });
    expect((await runCli(['restore', '--restore-checkpoint', '@', cp1.checkpoint_id, '--in-place', '--dry-run'], o)).stdout).toMatch(/Would restore .*\n.*\n {3}src\/a\.txt\n🗑 {2}Would remove \(absent at that checkpoint\): src\/c\.txt/);

    const real = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp1.checkpoint_id, '--in-place', '--json'], o)).stdout);
    const { dry_run: _d, queued_work: _q, safety, ...planned } = plan;
    expect(real).toMatchObject(planned);
    expect(real.safety).toMatchObject({ session_id: safety.session_id, checkpoint_id: safety.checkpoint_id, undo: safety.undo });
    expect(readFileSync(join(repo.dir, 'src/a.txt'), 'utf8')).toBe('v1\n');
    expect(readFileSync(join(repo.dir, 'never.txt'), 'utf8')).toBe('no checkpoint holds this\n');

    const usage = await runCli(['restore', '--restore-checkpoint', '@', cp1.checkpoint_id, '--dry-run'], o);
    expect(usage.code).toBe(2);
    expect(oneLineError(usage)).toBe('specmap: --dry-run goes with --restore-checkpoint … --in-place');
  });

  it('merge --dry-run: the very commit the merge then writes, the branch and index untouched until then', async () => {
    const { repo, o } = await session();
    repo.write('src/feature.js', 'feature\n');
    await ok(['checkpoint', '@', 'feature'], o);
    // The branch moves on meanwhile (a three-way merge), and there is uncommitted work.
    repo.write('other.txt', 'on main\n');
    repo.git('add', 'other.txt');
    repo.git('commit', '-q', '-m', 'main moves');
    repo.write('README.md', 'uncommitted edit\n');

    const r = await dryRun(['merge', '@'], o);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ dry_run: true, session_id: ID, branch: 'main', parent: repo.git('rev-parse', 'HEAD'), files: ['.gitignore', 'src/feature.js'], merged: true });
    expect(() => repo.git('cat-file', '-e', plan.commit)).toThrow();

    const real = JSON.parse((await ok(['merge', '@', '--json'], o)).stdout);
    const { dry_run: _d, queued_work: _q, ...planned } = plan;
    expect(real).toEqual(planned);
    expect(repo.git('rev-parse', 'main')).toBe(plan.commit);
    expect(readFileSync(join(repo.dir, 'README.md'), 'utf8')).toBe('uncommitted edit\n');
  });

  it('renumber --dry-run: the new id, the folder move and every ref, in the order renumber makes them', async () => {
    const { repo, o } = await session();
    for (const n of ['one', 'two']) {
      repo.write(`${n}.txt`, `${n}\n`);
      await ok(['checkpoint', '@', n], o);
    }
    const r = await dryRun(['renumber', ID], o);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    const to = '2025-10-25-session-002-work';
    const tags = repo.git('for-each-ref', '--format=%(refname)', `refs/tags/checkpoints/${ID}/`).split('\n');
    expect(plan).toMatchObject({ dry_run: true, session_id: to, renumbered_from: ID, folder: { from: `04-agents/sessions/active/${ID}`, to: `04-agents/sessions/active/${to}` } });
    expect(plan.refs.map((x: { action: string; ref: string }) => `${x.action} ${x.ref}`)).toEqual([
      `create refs/sessions/${to}`,
      ...tags.map((t) => `create ${t.replace(ID, to)}`),
      ...tags.map((t) => `delete ${t}`),
      `delete refs/sessions/${ID}`,
    ]);

    const real = JSON.parse((await ok(['renumber', ID, '--json'], o)).stdout);
    const { dry_run: _d, queued_work: _q, ...planned } = plan;
    expect(real).toEqual(planned);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions/', 'refs/tags/checkpoints/').split('\n')).toEqual([
      `refs/sessions/${to}`, ...tags.map((t) => t.replace(ID, to)),
    ]);
  });

  it('hooks install/uninstall --dry-run: the same changes, nothing written', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const mine = join(repo.dir, '.git/hooks/post-commit');
    writeFileSync(mine, '#!/bin/sh\necho mine\n');
    chmodSync(mine, 0o755);
    const r = await dryRun(['hooks', 'install'], o);
    const plan = JSON.parse(r.stdout);
    expect(plan.dry_run).toBe(true);
    expect(plan.changes).toEqual([{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'chained' }, { name: 'pre-push', action: 'installed' }, { name: 'post-rewrite', action: 'installed' }, { name: 'post-merge', action: 'installed' }]);
    expect((await runCli(['hooks', 'install', '--dry-run'], o)).stdout).toContain('➕ would install, keeping your existing hook (it runs first): .git/hooks/post-commit');
    expect(JSON.parse((await ok(['hooks', 'install', '--json'], o)).stdout).changes).toEqual(plan.changes);

    const un = JSON.parse((await dryRun(['hooks', 'uninstall'], o)).stdout);
    expect(un.changes).toEqual([{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'restored' }, { name: 'pre-push', action: 'removed' }, { name: 'post-rewrite', action: 'removed' }, { name: 'post-merge', action: 'removed' }]);
    expect(JSON.parse((await ok(['hooks', 'uninstall', '--json'], o)).stdout).changes).toEqual(un.changes);
    expect(readFileSync(mine, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    const status = await runCli(['hooks', 'status', '--dry-run'], o);
    expect(status.code).toBe(2);
    expect(oneLineError(status)).toBe("specmap: unknown option '--dry-run'");
  });
});

/** A bare remote and two clones with their own identities. */
function world() {
  const base = scratch();
  const home = join(base, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n');
  const env = isolatedEnv(home);
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trimEnd();
  const remote = join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', remote);
  const clone = (name: string) => {
    const dir = join(base, name);
    git(base, 'clone', '-q', remote, dir);
    git(dir, 'config', 'user.name', name);
    git(dir, 'config', 'user.email', `${name}@example.com`);
    return { dir, o: { cwd: dir, env, now: NOW }, git: (...a: string[]) => git(dir, ...a), write: (rel: string, text: string) => { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); } };
  };
  const seed = clone('seed');
  seed.write('README.md', '# shared\n');
  seed.git('add', '-A');
  seed.git('commit', '-q', '-m', 'init');
  seed.git('push', '-q', 'origin', 'HEAD');
  return { remote, clone };
}

describe('push --dry-run', () => {
  it("asks the remote with git push --dry-run: the refs the push sends, its metadata commit, nothing moved on either side", async () => {
    const w = world();
    const a = w.clone('alice');
    await ok(['start', 'work'], a.o);
    a.write('src/x.js', 'x\n');
    await ok(['checkpoint', '@', 'x'], a.o);
    const sides = [{ dir: a.dir }, { dir: w.remote, bare: true }];
    const r = await dryRun(['push'], a.o, sides);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ dry_run: true, remote: 'origin', session_ids: [ID] });
    expect(plan.refs.map((x: { ref: string; flag: string }) => `${x.flag} ${x.ref}`)).toEqual([
      `* refs/sessions/${ID}`, `* refs/specmap/meta/${ID}`, ...a.git('for-each-ref', '--format=* %(refname)', 'refs/tags/checkpoints/').split('\n'),
    ]);
    expect(plan.meta_updates).toEqual([{ ref: `refs/specmap/meta/${ID}`, from: null, to: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
    expect((await runCli(['push', '--dry-run'], a.o)).stdout).toContain(`⬆️  Would push to origin: 1 session, ${plan.refs.length} refs to update`);

    const real = JSON.parse((await ok(['push', '--json'], a.o)).stdout);
    expect(real.refs.map((x: { ref: string; flag: string }) => `${x.flag} ${x.ref}`)).toEqual(plan.refs.map((x: { ref: string; flag: string }) => `${x.flag} ${x.ref}`));
    // The clock is pinned: the metadata commit pushed is the one the dry run made and threw away.
    expect(real.meta_updates).toEqual(plan.meta_updates);
    expect(execFileSync('git', ['rev-parse', `refs/specmap/meta/${ID}`], { cwd: w.remote, env: a.o.env, encoding: 'utf8' }).trim()).toBe(plan.meta_updates[0].to);
    // Up to date now: the dry run says so, and still changes nothing.
    const again = JSON.parse((await dryRun(['push'], a.o, sides)).stdout);
    expect(again.meta_updates).toEqual([]);
    expect(again.refs.every((x: { flag: string }) => x.flag === '=')).toBe(true);
  });

  it("refuses as the push would (secrets, a collision) without fetching or writing anything", async () => {
    const w = world();
    const a = w.clone('alice');
    const b = w.clone('bob');
    for (const c of [a, b]) {
      await ok(['start', 'work'], c.o);
      c.write('work.txt', `${c.dir}\n`);
      await ok(['checkpoint', '@', 'work'], c.o);
    }
    await ok(['push'], b.o);
    const sides = [{ dir: a.dir }, { dir: w.remote, bare: true }];
    const conflict = await dryRun(['push'], a.o, sides);
    expect(conflict.code).toBe(7);
    expect(oneLineError(conflict)).toMatch(/^specmap: nothing would be pushed: .*session-001-work.* would be rejected by origin/);

    a.write('deploy/id_key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n');
    await ok(['checkpoint', '@', 'key', 'deploy/id_key'], a.o);
    const secrets = await dryRun(['push'], a.o, sides);
    expect(oneLineError(secrets)).toMatch(/^specmap: refusing to push to origin: the sessions hold what looks like secrets: deploy\/id_key \(/);
    expect(secrets.code).not.toBe(0);
  });
});
