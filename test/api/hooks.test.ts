import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitHook } from '../../src/api/git-hook.js';
import { hooksStatus } from '../../src/api/hooks-status.js';
import { installHooks } from '../../src/api/install-hooks.js';
import { uninstallHooks } from '../../src/api/uninstall-hooks.js';
import { HOOK_RULES } from '../../src/domain/hooks/rules.js';
import { renderShim, shellQuote } from '../../src/domain/hooks/shim.js';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { useRepoEnv } from '../support/in-process.js';
import { ok } from '../support/cli.js';


/** Runs an installed shim as git would (cwd = work tree), returning its status and stderr lines. */
function runShim(repo: TestRepo, name: string, env: Record<string, string> = {}, args: string[] = []) {
  const r = spawnSync('sh', [join(repo.dir, '.git/hooks', name), ...args], { cwd: repo.dir, env: { ...repo.env, SPECMAP_BACKGROUND: '0', ...env }, encoding: 'utf8' });
  return { status: r.status, lines: r.stderr.split('\n').filter(Boolean) };
}

let repo: TestRepo;
beforeEach(() => {
  repo = makeRepo();
  useRepoEnv(repo);
});

describe('api hooks verbs', () => {
  it('installs, reports and uninstalls, with exact contract results', async () => {
    const dir = join(repo.dir, '.git/hooks');
    const first = await installHooks({ cwd: repo.dir });
    const hook = (name: string) => ({ name, path: join(dir, name), state: 'installed', chained: false, tracked: false, manager_file: null, set_aside: null });
    expect(first).toEqual({
      root: repo.dir,
      dir,
      hooks_path: null,
      manager: null,
      manager_detail: null,
      hooks: [hook('pre-commit'), hook('post-commit'), hook('pre-push'), hook('post-rewrite'), hook('post-merge')],
      advice: [],
      worktrees: [],
      changes: [{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'installed' }, { name: 'pre-push', action: 'installed' }, { name: 'post-rewrite', action: 'installed' }, { name: 'post-merge', action: 'installed' }],
    });
    const { changes: _, ...status } = first;
    expect(await hooksStatus({ cwd: join(repo.dir, 'src') })).toEqual(status);
    writeFileSync(join(dir, 'pre-commit'), readFileSync(join(dir, 'pre-commit'), 'utf8').replace('exit 0', 'exit 0 # edited'));
    expect((await hooksStatus({ cwd: repo.dir })).hooks[0]!.state).toBe('outdated');
    const gone = await uninstallHooks({ cwd: repo.dir });
    expect(gone.changes).toEqual([{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'removed' }, { name: 'pre-push', action: 'removed' }, { name: 'post-rewrite', action: 'removed' }, { name: 'post-merge', action: 'removed' }]);
    expect(gone.hooks.map((h) => h.state)).toEqual(['missing', 'missing', 'missing', 'missing', 'missing']);
  });

  it('refuses to chain over an existing .specmap-orig (CONFLICT), and NOT_A_REPO outside a repository', async () => {
    const dir = join(repo.dir, '.git/hooks');
    writeFileSync(join(dir, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    writeFileSync(join(dir, 'pre-commit.specmap-orig'), '#!/bin/sh\nexit 0\n');
    await expect(installHooks({ cwd: repo.dir })).rejects.toMatchObject({ code: 'CONFLICT', details: { kind: 'chained-hook-exists' } });
    await expect(hooksStatus({ cwd: '/' })).rejects.toMatchObject({ code: 'NOT_A_REPO' });
  });
});

describe('the sh shims and the TypeScript rules are one source', () => {
  it('fills every placeholder from HOOK_RULES', () => {
    for (const name of ['pre-commit', 'post-commit', 'post-rewrite', 'post-merge'] as const) {
      const shim = renderShim(name, '/usr/bin/node', '/opt/specmap/git-hook.js');
      expect(shim).not.toMatch(/@[A-Z_]+@|@include/);
      expect(shim).toContain(`node='/usr/bin/node'`);
    }
    // The pre-push shim is sh alone: a push starts no Node.
    const push = renderShim('pre-push');
    expect(push).not.toMatch(/@[A-Z_]+@/);
    expect(push).not.toContain('node=');
    for (const text of [HOOK_RULES.pushRefused, HOOK_RULES.pushHint, HOOK_RULES.allowTagPushConfig]) expect(push).toContain(shellQuote(text));
    expect(push).toContain('refs/tags/checkpoints/*|refs/tags/milestones/*)');
    const pre = renderShim('pre-commit');
    for (const text of [HOOK_RULES.scratchWarning, HOOK_RULES.backupsAllowed, HOOK_RULES.backupsRefused, HOOK_RULES.backupsHint, HOOK_RULES.backupsDir]) {
      expect(pre).toContain(shellQuote(text));
    }
    expect(pre).toContain(`-eq ${HOOK_RULES.refuseStatus} ]`);
    expect(renderShim('post-commit')).toContain(shellQuote(HOOK_RULES.severalSessions));
    // post-merge queues HEAD with post-commit's own lines (hooks/record-head.sh), after its checks.
    const commit = renderShim('post-commit');
    const shared = commit.slice(commit.indexOf('# From hooks/record-head.sh'));
    expect(shared).toContain(`>> "$queue"`);
    expect(renderShim('post-merge').endsWith(shared)).toBe(true);
    expect(renderShim('post-merge')).toContain(`*${shellQuote(HOOK_RULES.fastForwardReflog)}*) exit $status`);
  });

  it('pre-commit: the installed shim (sh) and gitHook (Node) print the same lines and refuse the same commits', async () => {
    await installHooks({ cwd: repo.dir });
    await ok(['start', 'hooks'], { cwd: repo.dir, env: repo.env });
    const id = readdirSync(join(repo.dir, '04-agents/sessions/active'))[0]!;
    repo.write(`04-agents/sessions/active/${id}/notes/a.md`, 'thinking\n');
    repo.write(`04-agents/sessions/active/${id}/notes/b.md`, 'more\n');
    repo.git('add', '-A');
    const warnOnly = runShim(repo, 'pre-commit');
    const warnTs = await gitHook({ cwd: repo.dir, hook: 'pre-commit' });
    expect(warnOnly).toEqual({ status: 0, lines: warnTs.lines });
    expect(warnTs).toEqual({ hook: 'pre-commit', refuse: false, lines: [`${HOOK_RULES.scratchWarning} 04-agents/sessions/active/${id}/notes/a.md 04-agents/sessions/active/${id}/notes/b.md`] });

    repo.write('04-agents/backups/sessions/x-backup.zip', 'zip');
    repo.git('add', '-f', '04-agents/backups/sessions/x-backup.zip');
    const refusedSh = runShim(repo, 'pre-commit');
    const refusedTs = await gitHook({ cwd: repo.dir, hook: 'pre-commit' });
    expect(refusedSh.status).toBe(1);
    expect(refusedTs.refuse).toBe(true);
    expect(refusedSh.lines).toEqual(refusedTs.lines);
    expect(refusedTs.lines[1]).toBe(`${HOOK_RULES.backupsRefused} 04-agents/backups/sessions/x-backup.zip ${HOOK_RULES.backupsHint}`);

    const allowedSh = runShim(repo, 'pre-commit', { SPECMAP_ALLOW: '1' });
    useRepoEnv(repo, { SPECMAP_ALLOW: '1' });
    const allowedTs = await gitHook({ cwd: repo.dir, hook: 'pre-commit' });
    expect(allowedSh).toEqual({ status: 0, lines: allowedTs.lines });
    expect(allowedTs.refuse).toBe(false);
  });

  it('post-commit: with two active sessions the shim and gitHook say the same, and record nothing', async () => {
    await installHooks({ cwd: repo.dir });
    await ok(['start', 'one'], { cwd: repo.dir, env: repo.env });
    await ok(['start', 'two'], { cwd: repo.dir, env: repo.env });
    const sh = runShim(repo, 'post-commit');
    const ts = await gitHook({ cwd: repo.dir, hook: 'post-commit' });
    expect(sh).toEqual({ status: 0, lines: ts.lines });
    expect(ts).toEqual({ hook: 'post-commit', refuse: false, lines: [`specmap: 2 ${HOOK_RULES.severalSessions}`] });
    expect(existsSync(join(repo.dir, '.git', HOOK_RULES.pendingCommitsFile))).toBe(false);
  });

  it('post-commit records HEAD into the only session; the queued run records what the shim queued', async () => {
    await installHooks({ cwd: repo.dir });
    await ok(['start', 'one'], { cwd: repo.dir, env: repo.env });
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'a');
    expect(runShim(repo, 'post-commit').status).toBe(0);
    const queue = join(repo.dir, '.git', HOOK_RULES.pendingCommitsFile);
    expect(readFileSync(queue, 'utf8').trim()).toBe(repo.git('rev-parse', 'HEAD'));
    expect(await gitHook({ cwd: repo.dir, hook: 'post-commit', queued: true })).toEqual({ hook: 'post-commit', refuse: false, lines: [] });
    expect(existsSync(queue)).toBe(false);
    const id = readdirSync(join(repo.dir, '04-agents/sessions/active'))[0]!;
    const yaml = readFileSync(join(repo.dir, '04-agents/sessions/active', id, 'session.yaml'), 'utf8');
    expect(yaml).toContain('a.txt');
    expect(yaml).toContain(repo.git('rev-parse', 'HEAD'));
  });

  it('post-merge: the shim queues a merge commit the merge made, and gitHook records the same; a squash neither', async () => {
    await installHooks({ cwd: repo.dir });
    await ok(['start', 'one'], { cwd: repo.dir, env: repo.env });
    const git = (...args: string[]) => repo.git('-c', 'core.hooksPath=/dev/null', ...args);
    git('switch', '-q', '-c', 'feature');
    repo.write('b.txt', 'b\n');
    git('add', 'b.txt');
    git('commit', '-q', '-m', 'b');
    git('switch', '-q', 'main');
    git('merge', '-q', '--no-ff', '-m', 'merge', 'feature');
    const queue = join(repo.dir, '.git', HOOK_RULES.pendingCommitsFile);
    expect(runShim(repo, 'post-merge', {}, ['1'])).toEqual({ status: 0, lines: [] });
    expect(await gitHook({ cwd: repo.dir, hook: 'post-merge', squash: true })).toEqual({ hook: 'post-merge', refuse: false, lines: [] });
    expect(existsSync(queue)).toBe(false);
    const id = readdirSync(join(repo.dir, '04-agents/sessions/active'))[0]!;
    const yaml = () => readFileSync(join(repo.dir, '04-agents/sessions/active', id, 'session.yaml'), 'utf8');
    expect(yaml()).not.toContain(repo.git('rev-parse', 'HEAD'));
    expect(runShim(repo, 'post-merge', {}, ['0'])).toEqual({ status: 0, lines: [] });
    expect(readFileSync(queue, 'utf8').trim()).toBe(repo.git('rev-parse', 'HEAD'));
    expect(await gitHook({ cwd: repo.dir, hook: 'post-merge' })).toEqual({ hook: 'post-merge', refuse: false, lines: [] });
    expect(yaml()).toContain(repo.git('rev-parse', 'HEAD'));
  });

  it('fails open: a broken config is one line and never a refusal', async () => {
    repo.write('04-agents/config.yaml', 'scratch: [broken\n');
    repo.write('04-agents/backups/x.zip', 'zip');
    repo.git('add', '-f', '04-agents/backups/x.zip');
    const r = await gitHook({ cwd: repo.dir, hook: 'pre-commit' });
    expect(r.refuse).toBe(false);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^specmap: pre-commit hook skipped: 04-agents\/config\.yaml:\d+: invalid YAML$/);
  });
});
