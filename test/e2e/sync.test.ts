import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedEnv, scratch } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { eventually } from '../support/wait.js';

/** A bare remote and clones standing for different machines and people, all with their own git identity. */
function world() {
  const base = scratch();
  const home = join(base, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n[protocol "file"]\n\tallow = always\n');
  const env = isolatedEnv(home);
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trimEnd();
  const remote = join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', remote);
  const clone = (name: string, user: string, url = remote) => {
    const dir = join(base, name);
    git(base, 'clone', '-q', url, dir);
    git(dir, 'config', 'user.name', user);
    git(dir, 'config', 'user.email', `${user.toLowerCase()}@example.com`);
    return { dir, git: (...a: string[]) => git(dir, ...a), o: { cwd: dir, env }, write: (rel: string, text: string) => { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); } };
  };
  const seed = clone('seed', 'Seed');
  seed.write('README.md', '# shared project\n');
  seed.git('add', '-A');
  seed.git('commit', '-q', '-m', 'init');
  seed.git('push', '-q', 'origin', 'HEAD');
  return { base, env, remote, clone };
}

const daemons: ChildProcess[] = [];
afterAll(() => daemons.forEach((d) => d.kill()));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('sessions across machines', () => {
  it('push, then pull on another clone: list, log, show and restore the session after the original clone is gone', async () => {
    const w = world();
    const alice = w.clone('alice', 'Alice');
    await ok(['start', 'authentication'], { ...alice.o, now: '2025-10-25T09:00:00' });
    alice.write('src/auth.js', 'v1\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'Auth v1', '--json'], alice.o)).stdout);
    alice.write('notes.txt', 'for the notes\n');
    await ok(['end', '@', '9'], alice.o);
    await ok(['backup', 'milestone', 'v1'], alice.o);
    const pushed = JSON.parse((await ok(['push', '--json'], alice.o)).stdout);
    expect(pushed.remote).toBe('origin');
    expect(pushed.session_ids).toEqual(['2025-10-25-session-001-authentication']);
    expect(pushed.refs.map((r: { ref: string }) => r.ref)).toEqual(expect.arrayContaining([
      'refs/sessions/2025-10-25-session-001-authentication',
      'refs/specmap/meta/2025-10-25-session-001-authentication',
      `refs/tags/checkpoints/2025-10-25-session-001-authentication/${cp.checkpoint_id}`,
      'refs/tags/milestones/v1',
    ]));
    rmSync(alice.dir, { recursive: true, force: true });

    const bob = w.clone('bob', 'Bob');
    const pulled = JSON.parse((await ok(['pull', '--json'], bob.o)).stdout);
    expect(pulled.sessions).toEqual([{ session_id: '2025-10-25-session-001-authentication', local: false }]);
    expect(bob.git('for-each-ref', '--format=%(refname)', 'refs/sessions')).toBe(''); // never into local refs
    const list = JSON.parse((await ok(['list', '--remote', '--json'], bob.o)).stdout);
    expect(list.sessions).toEqual([expect.objectContaining({ session_id: '2025-10-25-session-001-authentication', remote: 'origin', status: 'completed', user: 'Alice <alice@example.com>', rulemap_score: 9 })]);
    expect((await ok(['list', '--remote', '--user', 'bob', '--json'], bob.o)).stdout).toContain('"sessions": []');
    expect((await ok(['log', '2025-10-25-session-001', '--oneline'], bob.o)).stdout.trim()).toBe(`${cp.commit.slice(0, 7)} ${cp.checkpoint_id} Auth v1`);
    expect((await ok(['show', `2025-10-25-session-001:${cp.checkpoint_id}`], bob.o)).stdout).toContain('+v1');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '2025-10-25-session-001', cp.checkpoint_id, '--json'], bob.o)).stdout);
    expect(readFileSync(join(bob.dir, r.destination, 'src/auth.js'), 'utf8')).toBe('v1\n');
    const show = JSON.parse((await ok(['show', '2025-10-25-session-001', '--json'], bob.o)).stdout);
    expect(show.user).toBe('Alice <alice@example.com>');
    expect(show.document.session.user).toBe('Alice <alice@example.com>');

    // Bob's own session on the same day takes the next number: numbering sees fetched sessions.
    const mine = JSON.parse((await ok(['start', 'review', '--json'], { ...bob.o, now: '2025-10-25T15:00:00' })).stdout);
    expect(mine.session_id).toBe('2025-10-25-session-002-review');
    // Plain git with the documented refspec sees the same.
    expect(bob.git('ls-remote', 'origin', 'refs/specmap/meta/*')).toContain('refs/specmap/meta/2025-10-25-session-001-authentication');
  });

  it('colliding ids from two clones: one push wins, the other is told to renumber, and nothing is lost', async () => {
    const w = world();
    const a = w.clone('a', 'Alice');
    const b = w.clone('b', 'Bob');
    for (const c of [a, b]) {
      await ok(['start', 'fix login'], { ...c.o, now: '2025-10-25T10:00:00' });
      c.write('work.txt', `${c.dir}\n`);
      await ok(['checkpoint', '@', 'work', '--json'], c.o);
    }
    const [ra, rb] = await Promise.all([runCli(['push'], a.o), runCli(['push'], b.o)]);
    const loser = ra.code === 0 ? { r: rb, c: b } : { r: ra, c: a };
    expect([ra.code, rb.code].sort()).toEqual([0, 7]);
    expect(oneLineError(loser.r)).toMatch(/nothing was pushed: 2025-10-25-session-001-fix-login already exists on origin as another session; run 'specmap renumber <session>'/);

    const renumbered = JSON.parse((await ok(['renumber', '2025-10-25-session-001-fix-login', '--json'], loser.c.o)).stdout);
    expect(renumbered).toMatchObject({ session_id: '2025-10-25-session-002-fix-login', renumbered_from: '2025-10-25-session-001-fix-login' });
    expect(renumbered.folder).toEqual({ from: '04-agents/sessions/active/2025-10-25-session-001-fix-login', to: '04-agents/sessions/active/2025-10-25-session-002-fix-login' });
    expect(loser.c.git('for-each-ref', '--format=%(refname)', 'refs/sessions', 'refs/tags/checkpoints')).not.toContain('session-001');
    await ok(['push'], loser.c.o);

    const c = w.clone('c', 'Carol');
    await ok(['pull'], c.o);
    const users = JSON.parse((await ok(['list', '--remote', '--json'], c.o)).stdout).sessions.map((s: { session_id: string; user: string }) => `${s.session_id} ${s.user}`).sort();
    expect(users).toHaveLength(2);
    expect(users[0]).toMatch(/^2025-10-25-session-001-fix-login /);
    expect(users[1]).toMatch(/^2025-10-25-session-002-fix-login /);
    // Each clone's work is restorable from the third one.
    for (const id of ['2025-10-25-session-001', '2025-10-25-session-002']) {
      const r = JSON.parse((await ok(['restore', '--restore-checkpoint', id, '~0', '--json'], c.o)).stdout);
      expect(readFileSync(join(c.dir, r.destination, 'work.txt'), 'utf8')).toMatch(/\/(a|b)\n$/);
    }
  });

  it('refuses a diverged session ref, and works over git daemon on 127.0.0.1', async () => {
    const w = world();
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--export-all', '--enable=receive-pack', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${w.base}`, w.base], { env: w.env, stdio: 'ignore' });
    daemons.push(daemon);
    const url = `git://127.0.0.1:${port}/remote.git`;
    // The daemon listens once it has started, which on a busy machine takes a while: clone until it answers.
    const a = await eventually(() => {
      try {
        return w.clone('a', 'Alice', url);
      } catch {
        return undefined;
      }
    });
    expect(a).toBeDefined();
    const alice = a!;
    await ok(['start', 'shared'], { ...alice.o, now: '2025-10-25T10:00:00' });
    alice.write('x.txt', '1\n');
    await ok(['checkpoint', '@', 'one'], alice.o);
    await ok(['push'], alice.o);

    // The same session continued in two places: a copy of the clone, then both checkpoint and push.
    const twin = join(w.base, 'twin');
    execFileSync('cp', ['-a', alice.dir, twin]);
    const twinO = { cwd: twin, env: w.env };
    writeFileSync(join(twin, 'x.txt'), 'twin\n');
    await ok(['checkpoint', '@', 'twin work'], twinO);
    await ok(['push'], twinO);
    alice.write('x.txt', 'alice\n');
    await ok(['checkpoint', '@', 'alice work'], alice.o);
    const r = await runCli(['push'], alice.o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/2025-10-25-session-001-shared diverged from origin/);
    expect(existsSync(join(alice.dir, '.git'))).toBe(true);
    // Nothing of alice's was lost: her checkpoint is still local.
    expect((await ok(['log', '--oneline'], alice.o)).stdout).toContain('alice work');
  });

  it('says clearly when there is no such remote', async () => {
    const w = world();
    const a = w.clone('a', 'Alice');
    const r = await runCli(['push', 'nowhere'], a.o);
    expect(r.code).toBe(5);
    expect(oneLineError(r)).toMatch(/no remote named nowhere/);
  });

  it('refuses to publish what looks like a secret — a key in a file, a named .env — unless --allow-secrets; code already on a branch is not its business', async () => {
    const w = world();
    const a = w.clone('a', 'Alice');
    // A key that reached the branch through git itself: pushing the session does not re-judge it.
    a.write('legacy/config.js', 'const key = "AKIAIOSFODNN7EXAMPLE";\n');
    a.git('add', '-A');
    a.git('commit', '-q', '-m', 'old config');
    await ok(['start', 'keys'], a.o);
    a.write('src/deploy.sh', 'export GITHUB_TOKEN=ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R\n');
    a.write('.env', 'STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n');
    // Named, both go into checkpoints (unnamed, a checkpoint would leave them out): push is the last guard.
    await ok(['checkpoint', '@', 'deploy script', 'src/deploy.sh'], a.o);
    await ok(['checkpoint', '@', 'env too', '.env'], a.o);
    const refused = await runCli(['push', 'origin'], a.o);
    expect(refused.code).toBe(7);
    const line = oneLineError(refused);
    expect(line).toMatch(/refusing to push to origin: .*\.env \(a secret file name, Stripe live secret key\); src\/deploy\.sh \(GitHub token\)/);
    expect(line).not.toContain('legacy/config.js');
    expect(line).toContain('--allow-secrets');
    expect(execFileSync('git', ['for-each-ref', 'refs/sessions/'], { cwd: w.remote, encoding: 'utf8' })).toBe('');
    const json = JSON.parse((await runCli(['push', 'origin', '--json'], a.o)).stdout);
    expect(json.error.code).toBe('SECRETS_FOUND');

    await ok(['push', 'origin', '--allow-secrets'], a.o);
    expect(execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/sessions/'], { cwd: w.remote, encoding: 'utf8' })).toMatch(/keys/);
  });
});
