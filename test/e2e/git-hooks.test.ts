import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, runCli } from '../support/cli.js';

const USER_HOOK = '#!/bin/sh\n# my own hook\necho "user hook ran" >> "$(git rev-parse --git-dir)/user-hook.log"\n';

/** git commit with the hooks active; returns status and stderr rather than throwing. */
function commit(repo: TestRepo, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync('git', ['commit', '-q', ...args], { cwd: repo.dir, env: { ...repo.env, ...env }, encoding: 'utf8' });
}

/** The session's record, after any queued commits were recorded (show records them first). */
async function sessionDoc(repo: TestRepo, cwd = repo.dir, session = '@') {
  const r = await ok(['show', session, '--json'], { cwd, env: repo.env });
  return JSON.parse(r.stdout).document;
}

/** The only active session's folder name, read straight from disk (no specmap command, so nothing is settled). */
function onlyActiveId(repo: TestRepo): string {
  return readdirSync(join(repo.dir, '04-agents/sessions/active'))[0]!;
}

async function withSession(repo = makeRepo()) {
  await ok(['hooks', 'install'], { cwd: repo.dir, env: repo.env });
  await ok(['start', 'hooks'], { cwd: repo.dir, env: repo.env });
  return repo;
}

describe('specmap hooks install / uninstall / status', () => {
  it('chains existing user hooks and restores them byte for byte; installing twice is a no-op', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const hooks = join(repo.dir, '.git/hooks');
    writeFileSync(join(hooks, 'post-commit'), USER_HOOK);
    chmodSync(join(hooks, 'post-commit'), 0o750);
    const first = JSON.parse((await ok(['hooks', 'install', '--json'], o)).stdout);
    expect(first.changes).toEqual([{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'chained' }, { name: 'pre-push', action: 'installed' }, { name: 'post-rewrite', action: 'installed' }, { name: 'post-merge', action: 'installed' }]);
    const installed = readFileSync(join(hooks, 'post-commit'), 'utf8');
    expect(installed).toContain('# specmap-hook: post-commit');
    expect(statSync(join(hooks, 'pre-commit')).mode & 0o111).not.toBe(0);

    const second = JSON.parse((await ok(['hooks', 'install', '--json'], o)).stdout);
    expect(second.changes.map((c: { action: string }) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).toBe(installed);
    const status = JSON.parse((await ok(['hooks', 'status', '--json'], o)).stdout);
    expect(status.hooks.map((h: { state: string; chained: boolean }) => [h.state, h.chained])).toEqual([['installed', false], ['installed', true], ['installed', false], ['installed', false], ['installed', false]]);
    expect(status).toMatchObject({ dir: hooks, hooks_path: null, manager: null, advice: [] });

    // The user's hook still runs.
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    expect(commit(repo, ['-m', 'a']).status).toBe(0);
    expect(readFileSync(join(repo.dir, '.git/user-hook.log'), 'utf8')).toBe('user hook ran\n');

    const un = JSON.parse((await ok(['hooks', 'uninstall', '--json'], o)).stdout);
    expect(un.changes).toEqual([{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'restored' }, { name: 'pre-push', action: 'removed' }, { name: 'post-rewrite', action: 'removed' }, { name: 'post-merge', action: 'removed' }]);
    expect(readFileSync(join(hooks, 'post-commit'), 'utf8')).toBe(USER_HOOK);
    expect(statSync(join(hooks, 'post-commit')).mode & 0o777).toBe(0o750);
    expect(existsSync(join(hooks, 'pre-commit'))).toBe(false);
    expect(existsSync(join(hooks, 'post-commit.specmap-orig'))).toBe(false);
  });

  it('installs where core.hooksPath points, and a failing user pre-commit hook still refuses the commit', async () => {
    const repo = makeRepo();
    repo.git('config', 'core.hooksPath', '.githooks');
    mkdirSync(join(repo.dir, '.githooks'));
    writeFileSync(join(repo.dir, '.githooks/pre-commit'), '#!/bin/sh\necho "lint failed" >&2\nexit 3\n');
    chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
    await ok(['hooks', 'install'], { cwd: repo.dir, env: repo.env });
    expect(readFileSync(join(repo.dir, '.githooks/post-commit'), 'utf8')).toContain('specmap-hook');
    expect(existsSync(join(repo.dir, '.git/hooks/post-commit'))).toBe(false);
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    const r = commit(repo, ['-m', 'a']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('lint failed');
  });

  it('leaves husky alone and says which line to add; `specmap hook` does the work for it', async () => {
    const repo = makeRepo();
    repo.git('config', 'core.hooksPath', '.husky/_');
    const r = JSON.parse((await ok(['hooks', 'install', '--json'], { cwd: repo.dir, env: repo.env })).stdout);
    expect(r.manager).toBe('husky');
    expect(r.changes.map((c: { action: string }) => c.action)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(r.advice).toContain("husky: add the line 'if command -v specmap >/dev/null 2>&1; then specmap hook post-commit; fi' to .husky/post-commit (a new file)");
    expect(existsSync(join(repo.dir, '.husky/_/post-commit'))).toBe(false);

    await ok(['start', 'husky'], { cwd: repo.dir, env: repo.env });
    repo.write('h.txt', 'h\n');
    repo.git('add', 'h.txt');
    repo.git('commit', '-q', '-m', 'h');
    await ok(['hook', 'post-commit'], { cwd: repo.dir, env: repo.env });
    expect((await sessionDoc(repo)).artifacts.created).toEqual(['h.txt']);
    repo.write('04-agents/backups/daily/x.zip', 'zip');
    repo.git('add', '-f', '04-agents/backups/daily/x.zip');
    const refused = await runCli(['hook', 'pre-commit'], { cwd: repo.dir, env: repo.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to commit ZIP backups');
  });
});

describe('post-commit', () => {
  it('records created, modified, deleted and renamed files and the commit ids', async () => {
    const repo = await withSession();
    repo.write('src/new.js', 'new\n');
    repo.write('src/main.js', 'changed\n');
    repo.write('docs/guide.md', 'a guide with enough text to be detected as a rename later\n');
    repo.git('add', 'src', 'docs');
    expect(commit(repo, ['-m', 'one']).status).toBe(0);
    const one = repo.git('rev-parse', 'HEAD');
    repo.git('mv', 'docs/guide.md', 'docs/handbook.md');
    repo.git('rm', '-q', 'README.md');
    expect(commit(repo, ['-m', 'two']).status).toBe(0);
    const two = repo.git('rev-parse', 'HEAD');

    const doc = await sessionDoc(repo);
    expect(doc.commits).toEqual([one, two]);
    expect(doc.artifacts.created).toEqual(['docs/handbook.md', 'src/new.js']);
    expect(doc.artifacts.modified).toEqual(['src/main.js']);
    expect(doc.artifacts.deleted).toEqual(['README.md']);
    expect(doc.artifacts.renamed).toEqual([{ from: 'docs/guide.md', to: 'docs/handbook.md' }]);
    expect(doc.metrics).toMatchObject({ files_created: 2, files_modified: 1, checkpoints: 0 });
    // specmap's own files are not the session's work.
    expect(JSON.stringify(doc.artifacts)).not.toContain('04-agents');
  });

  it('queues the commit durably: with no background process the next specmap command records it', async () => {
    const repo = await withSession();
    repo.write('q.txt', 'q\n');
    repo.git('add', 'q.txt');
    expect(commit(repo, ['-m', 'q'], { SPECMAP_BACKGROUND: '0' }).status).toBe(0);
    const queue = readFileSync(join(repo.dir, '.git/specmap/pending-commits'), 'utf8');
    expect(queue.trim()).toBe(`${repo.git('rev-parse', 'HEAD')}`);
    const raw = readFileSync(join(repo.dir, '04-agents/sessions/active', onlyActiveId(repo), 'session.yaml'), 'utf8');
    expect(raw).not.toContain('q.txt');
    expect((await sessionDoc(repo)).artifacts.created).toEqual(['q.txt']);
    expect(existsSync(join(repo.dir, '.git/specmap/pending-commits'))).toBe(false);
  });

  it('with several active sessions records nothing and says so, unless SPECMAP_SESSION names one', async () => {
    const repo = await withSession();
    await ok(['start', 'second'], { cwd: repo.dir, env: repo.env });
    repo.write('x.txt', 'x\n');
    repo.git('add', 'x.txt');
    const r = commit(repo, ['-m', 'x']);
    expect(r.status).toBe(0);
    expect(r.stderr.trim()).toBe('specmap: 2 sessions are active; set SPECMAP_SESSION=<id> to record commits (this one was not recorded)');
    const ids = JSON.parse((await ok(['list', '--json'], { cwd: repo.dir, env: repo.env })).stdout).sessions.map((s: { session_id: string }) => s.session_id);
    repo.write('y.txt', 'y\n');
    repo.git('add', 'y.txt');
    expect(commit(repo, ['-m', 'y'], { SPECMAP_SESSION: ids[1] }).status).toBe(0);
    expect((await sessionDoc(repo, repo.dir, ids[1])).artifacts.created).toEqual(['y.txt']);
    expect((await sessionDoc(repo, repo.dir, ids[0])).artifacts.created).toEqual([]);
  });

  it('fails open: a broken session.yaml or a missing specmap never blocks a commit', async () => {
    const repo = await withSession();
    const id = JSON.parse((await ok(['list', '--json'], { cwd: repo.dir, env: repo.env })).stdout).sessions[0].session_id;
    const yamlPath = join(repo.dir, '04-agents/sessions/active', id, 'session.yaml');
    writeFileSync(yamlPath, 'session: [broken\n');
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    const r = commit(repo, ['-m', 'a']);
    expect(r.status).toBe(0);
    expect(repo.git('log', '-1', '--format=%s')).toBe('a');

    // The hook's entry point gone (specmap uninstalled without removing hooks): still no failure.
    const hook = readFileSync(join(repo.dir, '.git/hooks/pre-commit'), 'utf8');
    writeFileSync(join(repo.dir, '04-agents/config.yaml'), 'scratch: []\n');
    writeFileSync(join(repo.dir, '.git/hooks/pre-commit'), hook.replace(/^entry=.*$/m, "entry='/nonexistent/git-hook.js'"));
    repo.write('b.txt', 'b\n');
    repo.git('add', 'b.txt');
    expect(commit(repo, ['-m', 'b']).status).toBe(0);
  });

  it('works from a linked worktree: hooks in the common dir, commits recorded in that worktree\'s session', async () => {
    const repo = makeRepo();
    const wt = join(repo.dir, '..', 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
    await ok(['hooks', 'install'], { cwd: wt, env: repo.env });
    expect(existsSync(join(repo.dir, '.git/hooks/post-commit'))).toBe(true);
    await ok(['start', 'in worktree'], { cwd: wt, env: repo.env });
    writeFileSync(join(wt, 'wt.txt'), 'from the worktree\n');
    execFileSync('git', ['add', 'wt.txt'], { cwd: wt, env: repo.env });
    const r = spawnSync('git', ['commit', '-q', '-m', 'wt'], { cwd: wt, env: repo.env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const doc = await sessionDoc(repo, wt);
    expect(doc.artifacts.created).toEqual(['wt.txt']);
    expect(existsSync(join(repo.dir, '04-agents/sessions/active'))).toBe(false);
  });
});

describe('pre-commit', () => {
  it('refuses ZIP backups, lets SPECMAP_ALLOW=1 and --no-verify through, and warns about scratch notes', async () => {
    const repo = await withSession();
    repo.write('04-agents/backups/sessions/x-backup.zip', 'zip');
    repo.git('add', '-f', '04-agents/backups/sessions/x-backup.zip');
    const refused = commit(repo, ['-m', 'zip']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('specmap: refusing to commit ZIP backups into history: 04-agents/backups/sessions/x-backup.zip');
    expect(repo.git('log', '-1', '--format=%s')).toBe('Initial commit');

    // `git commit -a` builds the commit from a temporary index: the check must read that one.
    repo.git('reset', '-q');
    repo.git('add', '-f', '04-agents/backups/sessions/x-backup.zip');
    repo.git('commit', '-q', '--no-verify', '-m', 'track a zip on purpose');
    repo.write('04-agents/backups/sessions/x-backup.zip', 'zip v2');
    expect(commit(repo, ['-a', '-m', 'zip v2']).status).toBe(1);
    expect(commit(repo, ['-a', '-m', 'zip v2'], { SPECMAP_ALLOW: '1' }).status).toBe(0);

    const notes = JSON.parse((await ok(['list', '--json'], { cwd: repo.dir, env: repo.env })).stdout).sessions[0].session_id;
    repo.write(`04-agents/sessions/active/${notes}/notes/scratch.md`, 'thinking\n');
    repo.git('add', '-A');
    const warned = commit(repo, ['-m', 'with notes']);
    expect(warned.status).toBe(0);
    expect(warned.stderr).toContain(`specmap: warning: committing scratch files (see scratch: in 04-agents/config.yaml): 04-agents/sessions/active/${notes}/notes/scratch.md`);
  });

  it('uses the scratch globs of 04-agents/config.yaml', async () => {
    const repo = await withSession();
    repo.write('04-agents/config.yaml', 'scratch:\n  - "tmp/**"\n');
    repo.write('tmp/debug.log', 'x\n');
    repo.git('add', '-A');
    const r = commit(repo, ['-m', 'tmp']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('committing scratch files (see scratch: in 04-agents/config.yaml): tmp/debug.log');
    const none = await runCli(['hook', 'pre-commit'], { cwd: repo.dir, env: repo.env });
    expect(none.code).toBe(0);
  });

  it('matches cached config globs in sh, without Node, until the config changes', async () => {
    const repo = await withSession();
    repo.write('04-agents/config.yaml', 'scratch:\n  - "tmp/**"\n  - "**/*.scratch.md"\n');
    repo.write('tmp/one.log', 'x\n');
    repo.git('add', '-A');
    expect(commit(repo, ['-m', 'first']).stderr).toContain('committing scratch files (see scratch: in 04-agents/config.yaml): tmp/one.log');
    const cache = join(repo.dir, '.git/specmap/scratch-pathspecs');
    expect(readFileSync(cache, 'utf8')).toBe('tmp/**\n**/*.scratch.md\n');

    // A config Node cannot read, but older than the cache: only sh can have produced the warning below.
    const config = join(repo.dir, '04-agents/config.yaml');
    writeFileSync(config, 'scratch: [broken\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(config, past, past);
    repo.write('docs/plan.scratch.md', 'y\n');
    repo.write('src/kept.js', 'z\n');
    repo.git('add', '-A');
    const viaSh = commit(repo, ['-m', 'second']);
    expect(viaSh.status).toBe(0);
    expect(viaSh.stderr.trim()).toBe('specmap: warning: committing scratch files (see scratch: in 04-agents/config.yaml): docs/plan.scratch.md');

    // Once the config is newer than the cache, Node reads it again (and, failing open, says why it skipped).
    const future = new Date(Date.now() + 60_000);
    utimesSync(config, future, future);
    repo.write('tmp/two.log', 'x\n');
    repo.git('add', '-A');
    const viaNode = commit(repo, ['-m', 'third']);
    expect(viaNode.status).toBe(0);
    expect(viaNode.stderr).toMatch(/pre-commit hook skipped: .*config\.yaml.*invalid YAML/);
  });

  it('keeps globs git would match differently out of the cache, so Node matches them', async () => {
    const repo = await withSession();
    repo.write('04-agents/config.yaml', 'scratch:\n  - "notes[1].md"\n');
    repo.write('notes[1].md', 'x\n');
    repo.git('add', '-A');
    expect(commit(repo, ['-m', 'brackets']).stderr).toContain('committing scratch files (see scratch: in 04-agents/config.yaml): notes[1].md');
    expect(existsSync(join(repo.dir, '.git/specmap/scratch-pathspecs'))).toBe(false);
  });
});


describe('the pre-push hook', () => {
  function push(repo: TestRepo, args: string[]) {
    return spawnSync('git', ['push', '-q', ...args], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
  }

  it('refuses checkpoint and milestone tags in a plain git push, lets specmap push, the branch, --no-verify and the config through, and chains the user\'s hook with its stdin', async () => {
    const repo = await withSession();
    const o = { cwd: repo.dir, env: repo.env };
    const remote = join(repo.dir, '..', 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote], { env: repo.env });
    repo.git('remote', 'add', 'origin', remote);
    // The user's own pre-push hook, chained by install: it must still see git's stdin.
    await ok(['hooks', 'uninstall'], o);
    writeFileSync(join(repo.dir, '.git/hooks/pre-push'), '#!/bin/sh\ncat >> "$(git rev-parse --git-dir)/user-pre-push.log"\n');
    chmodSync(join(repo.dir, '.git/hooks/pre-push'), 0o755);
    await ok(['hooks', 'install'], o);
    repo.write('src/a.js', 'a\n');
    await ok(['checkpoint', '@', 'first'], o);

    const branch = repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim();
    expect(push(repo, ['origin', branch]).status).toBe(0);
    const tags = push(repo, ['origin', '--tags']);
    expect(tags.status).not.toBe(0);
    expect(tags.stderr).toMatch(/specmap: refusing to push session checkpoint and milestone tags: refs\/tags\/checkpoints\/\S+ .*specmap push/);
    expect(execFileSync('git', ['for-each-ref', 'refs/tags/'], { cwd: remote, encoding: 'utf8' })).toBe('');
    expect(readFileSync(join(repo.dir, '.git/user-pre-push.log'), 'utf8')).toContain('refs/tags/checkpoints/');

    expect(push(repo, ['--no-verify', 'origin', '--tags']).status).toBe(0);
    execFileSync('git', ['tag', '-d', ...execFileSync('git', ['tag', '-l'], { cwd: remote, encoding: 'utf8' }).split('\n').filter(Boolean)], { cwd: remote });
    repo.git('config', 'specmap.allowTagPush', 'true');
    expect(push(repo, ['origin', '--tags']).status).toBe(0);
    repo.git('config', '--unset', 'specmap.allowTagPush');
    // specmap push shares sessions on purpose, and meets no hook.
    await ok(['push', 'origin'], o);

    // `specmap hook pre-push` (for husky, lefthook) reads git's stdin the same way.
    const id = repo.git('rev-parse', 'HEAD').trim();
    const managed = await runCli(['hook', 'pre-push'], { ...o, input: `refs/tags/milestones/m1 ${id} refs/tags/milestones/m1 ${'0'.repeat(40)}\n` });
    expect(managed.code).toBe(1);
    expect(managed.stderr).toContain('refs/tags/milestones/m1');
    const fine = await runCli(['hook', 'pre-push'], { ...o, input: `refs/heads/main ${id} refs/heads/main ${'0'.repeat(40)}\n` });
    expect(fine.code).toBe(0);
  });
});
