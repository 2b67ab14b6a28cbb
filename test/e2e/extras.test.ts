import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { CLI, ok, oneLineError, runCli } from '../support/cli.js';

const ID = '2025-10-25-session-001-login-flow';

async function session(repo: TestRepo = makeRepo(), extra: string[] = []) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'Login flow', ...extra], { ...o, now: '2025-10-25T09:00:00' });
  return { repo, o };
}

describe('templates', () => {
  it('start --template fills a built-in template, and a project template overrides it', async () => {
    const { repo } = await session(makeRepo(), ['--template', 'plan']);
    const plan = readFileSync(join(repo.dir, `04-agents/sessions/active/${ID}/notes/plan.md`), 'utf8');
    expect(plan).toContain('# Plan: Login flow');
    expect(plan).toContain(`Session ${ID}, 2025-10-25`);
    expect(plan).not.toContain('{{');

    repo.write('04-agents/templates/plan/notes/plan.md', 'Our own plan for {{focus}} by {{agent}} ({{unknown}})\n');
    repo.write('04-agents/templates/plan/session.yaml', 'not copied\n');
    const o = { cwd: repo.dir, env: repo.env };
    const second = JSON.parse((await ok(['start', 'Second', 'codex', '--template', 'plan', '--json'], { ...o, now: '2025-10-25T10:00:00' })).stdout);
    expect(readFileSync(join(repo.dir, second.workspace, 'notes/plan.md'), 'utf8')).toBe('Our own plan for Second by codex ({{unknown}})\n');
    expect(readFileSync(join(repo.dir, second.workspace, 'session.yaml'), 'utf8')).toContain('session:');

    const list = JSON.parse((await ok(['template', 'list', '--json'], o)).stdout);
    expect(list.templates.map((t: { name: string; source: string }) => `${t.name}:${t.source}`)).toEqual(['specify:built-in', 'plan:project', 'implement:built-in', 'qa:built-in']);
    const bad = await runCli(['start', 'x', '--template', 'nope'], o);
    expect(bad.code).toBe(5);
    expect(oneLineError(bad)).toMatch(/no template 'nope'/);
    expect((await runCli(['start', 'x', '--template', '../../etc'], o)).code).toBe(5);
  });
});

/** A commit on main made elsewhere (as a pull would bring it): the branch moves, this work tree does not. */
function commitBehindTheScenes(repo: TestRepo, path: string, content: string, message: string) {
  const tmp = join(repo.dir, '..', `index-${Date.now()}`);
  const env = { ...repo.env, GIT_INDEX_FILE: tmp };
  const run = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, env, encoding: 'utf8' }).trim();
  run('read-tree', 'HEAD');
  const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, env, encoding: 'utf8', input: content }).trim();
  run('update-index', '--add', '--cacheinfo', `100644,${blob},${path}`);
  const commit = run('commit-tree', run('write-tree'), '-p', 'HEAD', '-m', message);
  repo.git('update-ref', 'refs/heads/main', commit);
  repo.git('reset', '-q', '--', path); // the index catches up for that path, as after a pull
}

describe('specmap merge', () => {
  it('squashes the final checkpoint onto the current branch, leaving uncommitted work alone', async () => {
    const { repo, o } = await session();
    repo.write('src/login.js', 'login v1\n');
    await ok(['track', '@', 'src/login.js', 'created'], o);
    await ok(['checkpoint', '@', 'Login form'], o);
    repo.write('src/login.js', 'login v2\n');
    await ok(['checkpoint', '@', 'Validation'], o);
    repo.write('scratch.txt', 'uncommitted, unrelated\n');
    const head = repo.git('rev-parse', 'HEAD');

    const r = JSON.parse((await ok(['merge', '@', '--json'], o)).stdout);
    expect(r).toMatchObject({ branch: 'main', parent: head, merged: false, files: ['.gitignore', 'src/login.js'] });
    expect(repo.git('rev-parse', 'HEAD')).toBe(r.commit);
    expect(repo.git('log', '-1', '--format=%B')).toBe(`Login flow\n\nSquashed from specmap session ${ID} (2 checkpoints):\n- ${JSON.parse((await ok(['log', '--json'], o)).stdout).checkpoints[1].checkpoint_id}: Login form\n- ${JSON.parse((await ok(['log', '--json'], o)).stdout).checkpoints[0].checkpoint_id}: Validation\n\nCreated: src/login.js\n\nSession-Id: ${ID}\nAgent: claude`);
    expect(repo.git('show', 'HEAD:src/login.js')).toBe('login v2');
    expect(repo.git('status', '--porcelain', '--', 'src', 'scratch.txt', '.gitignore')).toBe('?? scratch.txt');
    // The session's own workspace is not part of the product commit.
    expect(repo.git('show', '--name-only', '--format=', 'HEAD')).toBe('.gitignore\nsrc/login.js');
  });

  it('merges three-way when the branch moved, and refuses conflicts and uncommitted changes in the way', async () => {
    const { repo, o } = await session();
    repo.write('src/a.js', 'session a\n');
    await ok(['checkpoint', '@', 'a'], o);
    commitBehindTheScenes(repo, 'src/other.js', 'someone else\n', 'meanwhile');
    const r = JSON.parse((await ok(['merge', '@', '--json'], o)).stdout);
    expect(r.merged).toBe(true);
    expect(repo.git('ls-tree', '-r', '--name-only', 'HEAD', 'src').split('\n')).toEqual(['src/a.js', 'src/main.js', 'src/other.js']);

    // A conflicting change on the branch: refused, nothing moves.
    const { repo: r2, o: o2 } = await session();
    r2.write('src/main.js', 'session version\n');
    await ok(['checkpoint', '@', 'main changed'], o2);
    commitBehindTheScenes(r2, 'src/main.js', 'branch version\n', 'conflicting');
    const before = r2.git('rev-parse', 'HEAD');
    const c = await runCli(['merge', '@'], o2);
    expect(c.code).toBe(7);
    expect(oneLineError(c)).toMatch(/conflict in src\/main\.js; nothing was changed/);
    expect(r2.git('rev-parse', 'HEAD')).toBe(before);

    // Uncommitted edits to a file the merge would change: refused, the edit survives.
    const { repo: r3, o: o3 } = await session();
    r3.write('src/main.js', 'session\n');
    await ok(['checkpoint', '@', 'x'], o3);
    r3.write('src/main.js', 'my uncommitted edit\n');
    r3.git('add', 'src/main.js');
    r3.write('src/main.js', 'my uncommitted edit, more\n');
    const u = await runCli(['merge', '@'], o3);
    expect(u.code).toBe(7);
    expect(oneLineError(u)).toMatch(/uncommitted changes in the way/);
    expect(readFileSync(join(r3.dir, 'src/main.js'), 'utf8')).toBe('my uncommitted edit, more\n');
    expect(r3.git('log', '-1', '--format=%s')).toBe('Initial commit');
  });

  it('--into another branch moves only that branch', async () => {
    const { repo, o } = await session();
    repo.git('branch', 'release');
    repo.write('src/r.js', 'r\n');
    await ok(['checkpoint', '@', 'r'], o);
    const main = repo.git('rev-parse', 'main');
    await ok(['merge', '@', '--into', 'release', '-m', 'Release login'], o);
    expect(repo.git('rev-parse', 'main')).toBe(main);
    expect(repo.git('log', '-1', '--format=%s', 'release')).toBe('Release login');
    expect(existsSync(join(repo.dir, 'src/r.js'))).toBe(true); // the working file is simply still there
  });
});

describe('agent transcripts', () => {
  it('stores the redacted transcript with each Stop checkpoint and shows the prompts that led to it', async () => {
    const repo = makeRepo();
    mkdirSync(join(repo.home, '.claude/projects/-repo'), { recursive: true });
    const transcript = join(repo.home, '.claude/projects/-repo/transcript.jsonl');
    const line = (type: string, content: unknown) => `${JSON.stringify({ type, message: { role: type, content } })}\n`;
    const send = (body: Record<string, unknown>) =>
      runCli(['agent-hook'], { cwd: repo.dir, env: repo.env, input: JSON.stringify({ session_id: 'c1', cwd: repo.dir, transcript_path: transcript, ...body }) });

    writeFileSync(transcript, line('user', 'Add a login form'));
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    writeFileSync(transcript, [
      line('user', 'Add a login form'),
      line('assistant', [{ type: 'text', text: 'Done.' }]),
      line('user', [{ type: 'tool_result', content: 'ok' }]),
      line('user', [{ type: 'text', text: 'Use my key ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R for the API' }]),
    ].join(''));
    repo.write('src/login.js', 'form\n');
    await send({ hook_event_name: 'Stop' });
    writeFileSync(transcript, `${readFileSync(transcript, 'utf8')}${line('user', 'Now add validation')}`);
    repo.write('src/login.js', 'form + validation\n');
    await send({ hook_event_name: 'Stop' });

    const o = { cwd: repo.dir, env: repo.env };
    const first = JSON.parse((await ok(['show', '@:~1', '--transcript', '--json'], o)).stdout);
    expect(first.prompts).toEqual(['Add a login form', 'Use my key [REDACTED] for the API']);
    const second = await ok(['show', '@:~0', '--transcript'], o);
    expect(second.stdout).toContain('Prompts that led to it (1):\n  > Now add validation');
    const id = JSON.parse((await ok(['list', '--json'], o)).stdout).sessions[0].session_id;
    // Out of the project tree, on the session's transcript chain: one commit per turn.
    expect(existsSync(join(repo.dir, `04-agents/sessions/active/${id}/transcripts`))).toBe(false);
    const stored = execFileSync('git', ['log', '-p', `refs/specmap/transcripts/${id}`], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect(stored).toContain('[REDACTED]');
    expect(stored).not.toContain('ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R');

    await send({ hook_event_name: 'SessionEnd', reason: 'exit' });
    await ok(['list'], o); // settles the deferred ZIP
    const zip = join(repo.dir, `04-agents/backups/sessions/${id}-backup.zip`);
    expect(execFileSync('unzip', ['-p', zip, 'transcripts/transcript.jsonl'], { encoding: 'utf8' })).toBe(readFileSync(transcript, 'utf8').replace('ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R', '[REDACTED]'));
  });
});

describe('specmap replay', () => {
  it('dumps every checkpoint oldest first when not on a terminal', async () => {
    const { repo, o } = await session();
    repo.write('a.txt', 'one\n');
    await ok(['checkpoint', '@', 'First'], o);
    repo.write('a.txt', 'two\n');
    await ok(['checkpoint', '@', 'Second'], o);
    const out = (await ok(['replay', '@'], o)).stdout;
    expect(out.indexOf('=== 1/2 ===')).toBeLessThan(out.indexOf('=== 2/2 ==='));
    expect(out.indexOf('    First')).toBeLessThan(out.indexOf('    Second'));
    expect(out).toContain('-one\n+two');
  });

  it('steps with n, p and q in a real terminal (tmux)', async () => {
    const { repo, o } = await session();
    for (const [n, text] of [['First', 'one'], ['Second', 'two'], ['Third', 'three']]) {
      repo.write('a.txt', `${text}\n`);
      await ok(['checkpoint', '@', n!], o);
    }
    const name = `specmap-replay-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]) => spawnSync('tmux', args, { env: { ...repo.env, TMUX: '' }, encoding: 'utf8' });
    const envArgs = Object.entries({ GIT_CONFIG_GLOBAL: repo.env.GIT_CONFIG_GLOBAL!, GIT_CONFIG_NOSYSTEM: '1', HOME: repo.env.HOME!, NO_COLOR: '1' }).map(([k, v]) => `${k}='${v}'`).join(' ');
    expect(tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', `cd '${repo.dir}' && env ${envArgs} '${process.execPath}' '${CLI}' replay @; sleep 30`).status).toBe(0);
    const screen = async (want: RegExp) => {
      for (let i = 0; i < 50; i++) {
        const s = tmux('capture-pane', '-p', '-t', name).stdout;
        if (want.test(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      return tmux('capture-pane', '-p', '-t', name).stdout;
    };
    try {
      expect(await screen(/1\/3 {2}\[n\]ext/)).toMatch(/ {4}First/);
      tmux('send-keys', '-t', name, 'n');
      expect(await screen(/2\/3/)).toMatch(/ {4}Second/);
      tmux('send-keys', '-t', name, 'n');
      expect(await screen(/3\/3/)).toMatch(/ {4}Third/);
      tmux('send-keys', '-t', name, 'p');
      expect(await screen(/2\/3/)).toMatch(/ {4}Second/);
      tmux('send-keys', '-t', name, 'q');
      const after = await screen(/\$ $|^\s*$/m);
      expect(tmux('list-panes', '-t', name, '-F', '#{pane_current_command}').stdout.trim()).toMatch(/sleep|sh|bash/);
      void after;
    } finally {
      tmux('kill-session', '-t', name);
    }
  });
});
