import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, runCli, specmapBin } from '../support/cli.js';
import { repoState } from '../support/state.js';

// The layouts below are written exactly as the tools write them (husky's index.js and husky.sh, lefthook's
// internal/command/install.go and hook template), without installing them.

const HOOKS = ['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge'] as const;
/** The line for a hook file; post-merge and post-rewrite pass git's argument on (`{1}` in lefthook's config). */
const LINE = (h: string, arg = '"$1"') => `if command -v specmap >/dev/null 2>&1; then specmap hook ${h}${h === 'post-merge' || h === 'post-rewrite' ? ` ${arg}` : ''}; fi`;

/** husky 9's `.husky/_/h` (husky.sh), without the ~/.config/husky/init.sh lookup so nothing outside the test is read. */
const HUSKY9_H = [
  '#!/usr/bin/env sh',
  '[ "$HUSKY" = "2" ] && set -x',
  'n=$(basename "$0")',
  's=$(dirname "$(dirname "$0")")/$n',
  '',
  '[ ! -f "$s" ] && exit 0',
  '',
  '[ "${HUSKY-}" = "0" ] && exit 0',
  '',
  'export PATH="node_modules/.bin:$PATH"',
  'sh -e "$s" "$@"',
  'c=$?',
  '',
  '[ $c != 0 ] && echo "husky - $n script failed (code $c)"',
  '[ $c = 127 ] && echo "husky - command not found in PATH=$PATH"',
  'exit $c',
  '',
].join('\n');
const HUSKY_ALL = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-rebase', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push', 'pre-auto-gc'];

/** What `husky` (9) does: core.hooksPath .husky/_, the ignored generated folder, one dispatcher per hook. */
function husky9(repo: TestRepo): void {
  repo.git('config', 'core.hooksPath', '.husky/_');
  const d = join(repo.dir, '.husky/_');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, '.gitignore'), '*');
  writeFileSync(join(d, 'h'), HUSKY9_H);
  for (const h of HUSKY_ALL) writeFileSync(join(d, h), '#!/usr/bin/env sh\n. "${0%/*}/h"', { mode: 0o755 });
  writeFileSync(join(d, 'husky.sh'), '');
}

/** lefthook's hook template (internal/templates/hook.tmpl), as `lefthook install` writes it for `hook`. */
const lefthookHook = (hook: string) => `#!/bin/sh

if [ "$LEFTHOOK" = "0" ]; then
  exit 0
fi

call_lefthook()
{
  if lefthook -h >/dev/null 2>&1
  then
    eval lefthook $@
  else
    echo "Can't find lefthook in PATH"
  fi
}

call_lefthook "run ${hook} $@"
`;

/** What `lefthook install` does for each hook lefthook.yml names: its own file goes, another is renamed <hook>.old. */
function lefthookInstall(repo: TestRepo, hooks: string[]): void {
  const dir = join(repo.dir, '.git/hooks');
  for (const h of hooks) {
    const p = join(dir, h);
    if (existsSync(p) && !readFileSync(p, 'utf8').includes('LEFTHOOK')) renameSync(p, `${p}.old`);
    writeFileSync(p, lefthookHook(h), { mode: 0o755 });
  }
  mkdirSync(join(repo.dir, '.git/info'), { recursive: true });
  writeFileSync(join(repo.dir, '.git/info/lefthook.checksum'), '0123456789abcdef 1700000000\n');
}

/** A `specmap` on PATH for hook scripts that call it by name (husky's, a tracked hook's). */
function specmapOnPath(repo: TestRepo): NodeJS.ProcessEnv {
  return { ...repo.env, PATH: `${specmapBin(join(repo.home, 'bin'))}:${repo.env.PATH}`, SPECMAP_BACKGROUND: '0' };
}

const json = async (args: string[], repo: TestRepo, cwd = repo.dir) => JSON.parse((await ok([...args, '--json'], { cwd, env: repo.env })).stdout);
const states = (r: { hooks: { state: string }[] }) => r.hooks.map((h) => h.state);

describe('a hooks folder inside the project (core.hooksPath = .githooks, tracked)', () => {
  it('never rewrites a tracked hook, says what to add, installs the rest, in every worktree', async () => {
    const repo = makeRepo();
    const mine = '#!/bin/sh\necho "team lint" >&2\n';
    repo.write('.githooks/pre-commit', mine);
    chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
    repo.commitAll('team hooks');
    repo.git('config', 'core.hooksPath', '.githooks');
    const wt = join(repo.dir, '..', 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt);

    const r = await json(['hooks', 'install'], repo);
    expect(r.changes).toEqual([{ name: 'pre-commit', action: 'skipped' }, { name: 'post-commit', action: 'installed' }, { name: 'pre-push', action: 'installed' }, { name: 'post-rewrite', action: 'installed' }, { name: 'post-merge', action: 'installed' }]);
    expect(readFileSync(join(repo.dir, '.githooks/pre-commit'), 'utf8')).toBe(mine);
    expect(existsSync(join(repo.dir, '.githooks/pre-commit.specmap-orig'))).toBe(false);
    expect(r.hooks.map((h: { tracked: boolean }) => h.tracked)).toEqual([true, false, false, false, false]);
    expect(r.advice).toEqual([
      `.githooks/pre-commit is tracked in your project, so specmap leaves it alone: add the line '${LINE('pre-commit')}' to it`,
      ".githooks/post-commit, .githooks/post-merge, .githooks/post-rewrite, .githooks/pre-push are untracked files in your project holding this machine's paths: keep them out of commits (list them in .git/info/exclude)",
    ]);
    // The linked worktree has its own .githooks/ (a relative core.hooksPath): it gets the same treatment.
    expect(r.worktrees).toHaveLength(1);
    expect(r.worktrees[0]).toMatchObject({ root: wt, dir: join(wt, '.githooks') });
    expect(r.worktrees[0].changes.map((c: { action: string }) => c.action)).toEqual(['skipped', 'installed', 'installed', 'installed', 'installed']);
    expect(readFileSync(join(wt, '.githooks/post-commit'), 'utf8')).toContain('# specmap-hook: post-commit');

    // From the worktree, status reports the folder git uses there, and the main one's beside it.
    const st = await json(['hooks', 'status'], repo, wt);
    expect(st).toMatchObject({ root: wt, dir: join(wt, '.githooks'), hooks_path: '.githooks' });
    expect(states(st)).toEqual(['foreign', 'installed', 'installed', 'installed', 'installed']);
    expect(st.worktrees.map((w: { dir: string }) => w.dir)).toEqual([join(repo.dir, '.githooks')]);

    // A commit in the worktree runs the team's tracked pre-commit and records into the worktree's session.
    await ok(['start', 'in worktree'], { cwd: wt, env: repo.env });
    writeFileSync(join(wt, 'w.txt'), 'w\n');
    spawnSync('git', ['add', 'w.txt'], { cwd: wt, env: repo.env });
    const c = spawnSync('git', ['commit', '-q', '-m', 'w'], { cwd: wt, env: repo.env, encoding: 'utf8' });
    expect(c.status).toBe(0);
    expect(c.stderr).toContain('team lint');
    expect(JSON.parse((await ok(['show', '@', '--json'], { cwd: wt, env: repo.env })).stdout).document.artifacts.created).toEqual(['w.txt']);

    // Once the tracked hook calls specmap itself, status says so and the advice goes.
    writeFileSync(join(repo.dir, '.githooks/pre-commit'), `${mine}${LINE('pre-commit')}\n`);
    const wired = await json(['hooks', 'status'], repo);
    expect(states(wired)).toEqual(['managed', 'installed', 'installed', 'installed', 'installed']);
    expect(wired.advice.some((a: string) => a.includes('is tracked in your project'))).toBe(false);
    expect((await json(['hooks', 'install'], repo)).changes.map((x: { action: string }) => x.action)).toEqual(['skipped', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);

    // Uninstall removes specmap's files in both worktrees and leaves the tracked one as it is.
    const un = await json(['hooks', 'uninstall'], repo);
    expect(un.changes.map((x: { action: string }) => x.action)).toEqual(['skipped', 'removed', 'removed', 'removed', 'removed']);
    expect(un.worktrees[0].changes.map((x: { action: string }) => x.action)).toEqual(['skipped', 'removed', 'removed', 'removed', 'removed']);
    expect(existsSync(join(wt, '.githooks/post-commit'))).toBe(false);
    expect(readFileSync(join(repo.dir, '.githooks/pre-commit'), 'utf8')).toBe(`${mine}${LINE('pre-commit')}\n`);
  });
});

describe('husky', () => {
  it('husky 9: writes nothing, prints the lines to add to .husky/<hook>, and reports them once wired; commits then go through specmap', async () => {
    const repo = makeRepo();
    repo.write('.husky/pre-commit', 'echo "husky pre-commit ran" >&2\n');
    repo.commitAll('husky');
    husky9(repo);
    const before = repoState(repo.dir, repo.env);
    const r = await json(['hooks', 'install'], repo);
    expect(repoState(repo.dir, repo.env)).toEqual(before);
    expect(r).toMatchObject({ manager: 'husky', dir: join(repo.dir, '.husky/_'), manager_detail: 'husky 9: git runs .husky/_/<hook>, which runs your .husky/<hook>' });
    expect(r.changes.map((c: { action: string }) => c.action)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(r.advice).toEqual([
      `husky: add the line '${LINE('pre-commit')}' to .husky/pre-commit`,
      `husky: add the line '${LINE('post-commit')}' to .husky/post-commit (a new file)`,
      `husky: add the line '${LINE('pre-push')}' to .husky/pre-push (a new file)`,
      `husky: add the line '${LINE('post-rewrite')}' to .husky/post-rewrite (a new file)`,
      `husky: add the line '${LINE('post-merge')}' to .husky/post-merge (a new file)`,
    ]);
    expect(r.hooks.map((h: { manager_file: string }) => h.manager_file)).toEqual(HOOKS.map((h) => join(repo.dir, '.husky', h)));
    expect(states(r)).toEqual(['foreign', 'foreign', 'foreign', 'foreign', 'foreign']);

    // The user follows the advice.
    writeFileSync(join(repo.dir, '.husky/pre-commit'), `echo "husky pre-commit ran" >&2\n${LINE('pre-commit')}\n`);
    for (const h of ['post-commit', 'pre-push', 'post-rewrite', 'post-merge']) writeFileSync(join(repo.dir, '.husky', h), `${LINE(h)}\n`);
    const st = await json(['hooks', 'status'], repo);
    expect(states(st)).toEqual(['managed', 'managed', 'managed', 'managed', 'managed']);
    expect(st.advice).toEqual([]);
    expect((await runCli(['hooks', 'status'], { cwd: repo.dir, env: repo.env })).stdout).toContain('post-commit: managed (run through .husky/post-commit)');

    // A real commit: git -> .husky/_/post-commit -> h -> .husky/post-commit -> specmap hook post-commit.
    const env = specmapOnPath(repo);
    await ok(['start', 'husky'], { cwd: repo.dir, env });
    repo.write('h.txt', 'h\n');
    repo.git('add', 'h.txt');
    const c = spawnSync('git', ['commit', '-q', '-m', 'h'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(c.status).toBe(0);
    expect(c.stderr).toContain('husky pre-commit ran');
    expect(JSON.parse((await ok(['show', '@', '--json'], { cwd: repo.dir, env })).stdout).document.artifacts.created).toEqual(['h.txt']);
    // And specmap's pre-commit refusal comes through husky's `sh -e`.
    repo.write('04-agents/backups/daily/x.zip', 'zip');
    repo.git('add', '-f', '04-agents/backups/daily/x.zip');
    const refused = spawnSync('git', ['commit', '-q', '-m', 'zip'], { cwd: repo.dir, env, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('refusing to commit ZIP backups');

    // A clean merge: git -> .husky/_/post-merge -> h -> .husky/post-merge -> specmap hook post-merge "$1".
    repo.git('rm', '-q', '--cached', '04-agents/backups/daily/x.zip');
    repo.git('switch', '-q', '-c', 'feature');
    repo.write('f.txt', 'f\n');
    repo.git('add', 'f.txt');
    expect(spawnSync('git', ['commit', '-q', '-m', 'f'], { cwd: repo.dir, env }).status).toBe(0);
    repo.git('switch', '-q', 'main');
    expect(spawnSync('git', ['merge', '-q', '--no-ff', '-m', 'merge f', 'feature'], { cwd: repo.dir, env }).status).toBe(0);
    const commits = JSON.parse((await ok(['show', '@', '--json'], { cwd: repo.dir, env })).stdout).document.commits;
    expect(commits.at(-1)).toBe(repo.git('rev-parse', 'HEAD'));

    // An amend: .husky/post-rewrite passes git's "amend" on, so the note moves as an amend, not a rebase.
    repo.write('g.txt', 'g\n');
    repo.git('add', 'g.txt');
    expect(spawnSync('git', ['commit', '-q', '--amend', '-m', 'merge f, amended'], { cwd: repo.dir, env }).status).toBe(0);
    const note = JSON.parse(repo.git('notes', '--ref=specmap', 'show', 'HEAD').split('\n')[0]!);
    expect(note.metadata['dev.specmap']).toMatchObject({ source: 'amend', from: commits.at(-1) });
  });

  it('husky 5-8 (core.hooksPath = .husky): its tracked hook files are never written', async () => {
    const repo = makeRepo();
    repo.write('.husky/_/husky.sh', '#!/usr/bin/env sh\n');
    repo.write('.husky/_/.gitignore', '*');
    repo.write('.husky/pre-commit', '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\nnpm test\n');
    repo.commitAll('husky 8');
    repo.git('config', 'core.hooksPath', '.husky');
    const before = repoState(repo.dir, repo.env);
    const r = await json(['hooks', 'install'], repo);
    expect(repoState(repo.dir, repo.env)).toEqual(before);
    expect(r).toMatchObject({ manager: 'husky', manager_detail: 'husky 5-8: git runs .husky/<hook>' });
    expect(r.hooks[0]).toMatchObject({ name: 'pre-commit', path: join(repo.dir, '.husky/pre-commit'), state: 'foreign', tracked: true });
    expect(r.changes.map((c: { action: string }) => c.action)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(r.advice[0]).toBe(`husky: add the line '${LINE('pre-commit')}' to .husky/pre-commit`);
  });
});

describe('lefthook', () => {
  it("install writes none of lefthook's files and prints the lefthook.yml snippet; status sees it once it is there", async () => {
    const repo = makeRepo();
    repo.write('lefthook.yml', 'pre-commit:\n  commands:\n    lint:\n      run: echo lint\n');
    repo.commitAll('lefthook');
    lefthookInstall(repo, ['pre-commit']);
    const before = repoState(repo.dir, repo.env);
    const r = await json(['hooks', 'install'], repo);
    expect(repoState(repo.dir, repo.env)).toEqual(before);
    expect(r.manager).toBe('lefthook');
    expect(r.changes.map((c: { action: string }) => c.action)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(r.hooks.map((h: { manager_file: string }) => h.manager_file)).toEqual(HOOKS.map(() => join(repo.dir, 'lefthook.yml')));
    expect(r.advice).toHaveLength(1);
    const snippet = r.advice[0].slice(r.advice[0].indexOf('\n') + 1);
    expect(snippet).toBe([
      'pre-commit:', '  commands:', '    specmap:', `      run: ${LINE('pre-commit')}`,
      'post-commit:', '  commands:', '    specmap:', `      run: ${LINE('post-commit')}`,
      'pre-push:', '  commands:', '    specmap:', `      run: ${LINE('pre-push')}`, '      use_stdin: true',
      'post-rewrite:', '  commands:', '    specmap:', `      run: ${LINE('post-rewrite', '{1}')}`, '      use_stdin: true',
      'post-merge:', '  commands:', '    specmap:', `      run: ${LINE('post-merge', '{1}')}`,
    ].join('\n'));

    // The snippet, merged into lefthook.yml as told, then `lefthook install`: every hook is lefthook's and runs specmap.
    writeFileSync(join(repo.dir, 'lefthook.yml'), `pre-commit:\n  commands:\n    lint:\n      run: echo lint\n    specmap:\n      run: ${LINE('pre-commit')}\n${snippet.slice(snippet.indexOf('post-commit:'))}\n`);
    lefthookInstall(repo, [...HOOKS]);
    const st = await json(['hooks', 'status'], repo);
    expect(states(st)).toEqual(['managed', 'managed', 'managed', 'managed', 'managed']);
    expect(st.advice).toEqual([]);

    // pre-push without use_stdin would leave specmap waiting on lefthook's terminal: not counted as wired.
    writeFileSync(join(repo.dir, 'lefthook.yml'), readFileSync(join(repo.dir, 'lefthook.yml'), 'utf8').replace('      use_stdin: true\n', ''));
    const noStdin = await json(['hooks', 'status'], repo);
    expect(states(noStdin)).toEqual(['managed', 'managed', 'foreign', 'managed', 'managed']);
    expect(noStdin.advice[0]).toContain('pre-push:\n  commands:\n    specmap:');
  });

  it("re-running 'lefthook install' over specmap's shims is reported, not silent; uninstall removes the copy set aside", async () => {
    const repo = makeRepo();
    await ok(['hooks', 'install'], { cwd: repo.dir, env: repo.env });
    repo.write('lefthook.yml', 'post-commit:\n  commands:\n    notify:\n      run: echo done\n');
    repo.commitAll('lefthook');
    lefthookInstall(repo, ['post-commit']);
    const st = await json(['hooks', 'status'], repo);
    expect(st.manager).toBe('lefthook');
    expect(states(st)).toEqual(['installed', 'foreign', 'installed', 'installed', 'installed']);
    expect(st.hooks[1].set_aside).toBe(join(repo.dir, '.git/hooks/post-commit.old'));
    expect(st.advice).toContain("'lefthook install' moved specmap's post-commit hook to .git/hooks/post-commit.old, where it no longer runs; once lefthook runs it (above), delete that file");
    const text = (await runCli(['hooks', 'status'], { cwd: repo.dir, env: repo.env })).stdout;
    expect(text).toContain("post-commit: foreign (specmap's copy moved aside to .git/hooks/post-commit.old)");

    const un = await json(['hooks', 'uninstall'], repo);
    expect(un.changes).toEqual([{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'removed' }, { name: 'pre-push', action: 'removed' }, { name: 'post-rewrite', action: 'removed' }, { name: 'post-merge', action: 'removed' }]);
    expect(existsSync(join(repo.dir, '.git/hooks/post-commit.old'))).toBe(false);
    expect(readFileSync(join(repo.dir, '.git/hooks/post-commit'), 'utf8')).toBe(lefthookHook('post-commit'));
  });
});
