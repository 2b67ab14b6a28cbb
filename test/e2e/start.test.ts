import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, scratch, isolatedEnv } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-25T14:30:00';
const ID1 = '2025-10-25-session-001-authentication-feature';

describe('specmap start', () => {
  it("creates the spec's workspace, session.yaml and a session ref at HEAD", async () => {
    const repo = makeRepo();
    const head = repo.git('rev-parse', 'HEAD');
    const r = await ok(['start', 'authentication feature', 'claude'], { cwd: repo.dir, env: repo.env, now: NOW });

    expect(r.stdout).toContain(`✅ Session started: ${ID1}`);
    expect(r.stdout).toContain(`📁 Workspace: 04-agents/sessions/active/${ID1}/`);
    expect(r.stdout).toContain('🎯 Focus: authentication feature');
    expect(r.stdout).toContain('🤖 Agent: claude');

    const ws = join(repo.dir, '04-agents/sessions/active', ID1);
    expect(readdirSync(ws).sort()).toEqual(['README.md', 'artifacts', 'decisions', 'notes', 'session.yaml', 'snapshots', 'summary.md']);
    const yaml = parse(readFileSync(join(ws, 'session.yaml'), 'utf8'));
    expect(yaml.session).toEqual({
      id: ID1, date: '2025-10-25', start_time: '14:30:00', end_time: null,
      focus: 'authentication feature', agent: 'claude', status: 'active', user: 'Test User <test@example.com>',
    });
    expect(yaml.artifacts).toEqual({ created: [], modified: [] });
    expect(yaml.checkpoints).toEqual([]);
    expect(yaml.git).toEqual({ ref: `refs/sessions/${ID1}`, base_commit: head });
    expect(readFileSync(join(ws, 'summary.md'), 'utf8')).toContain(`# Session summary: ${ID1}`);
    expect(readFileSync(join(ws, 'README.md'), 'utf8')).toContain(`refs/sessions/${ID1}`);

    expect(repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/sessions')).toBe(`refs/sessions/${ID1} ${head}`);
    for (const d of ['sessions/archive', 'backups/sessions', 'backups/daily', 'backups/milestones', 'session-summaries']) {
      expect(existsSync(join(repo.dir, '04-agents', d))).toBe(true);
    }
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toContain('/04-agents/backups/');
    // HEAD, branch and index untouched: only untracked files appeared.
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('diff', '--cached', '--name-only')).toBe('');
  });

  it('numbers sessions per day across active and archived ones, starting again at 001 the next day', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env, now: NOW };
    await ok(['start', 'one'], o);
    await ok(['start', 'two'], o);
    await ok(['end', '2025-10-25-session-001', '--no-backup'], o);
    const third = await ok(['start', 'three', '--json'], o);
    expect(JSON.parse(third.stdout).session_id).toBe('2025-10-25-session-003-three');
    const next = await ok(['start', 'next day', '--json'], { ...o, now: '2025-10-26T09:00:00' });
    expect(JSON.parse(next.stdout).session_id).toBe('2025-10-26-session-001-next-day');
  });

  it('gives 8 racing starts in the same second 8 distinct numbers', async () => {
    const repo = makeRepo();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ok(['start', `race ${i}`, '--json'], { cwd: repo.dir, env: repo.env, now: NOW })),
    );
    const ids = results.map((r) => JSON.parse(r.stdout).session_id as string);
    const numbers = ids.map((id) => id.slice('2025-10-25-session-'.length, '2025-10-25-session-'.length + 3)).sort();
    expect(numbers).toEqual(['001', '002', '003', '004', '005', '006', '007', '008']);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions').split('\n')).toHaveLength(8);
    expect(readdirSync(join(repo.dir, '04-agents/sessions/active'))).toHaveLength(8);
  });

  it('counts a session ref without a folder (an interrupted start) and takes the next number at once', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env, now: NOW };
    repo.git('update-ref', 'refs/sessions/2025-10-25-session-001-work', 'HEAD');
    repo.git('update-ref', 'refs/sessions/2025-10-25-session-002-other', 'HEAD');
    repo.git('update-ref', 'refs/sessions/2025-10-24-session-007-yesterday', 'HEAD');
    const same = JSON.parse((await ok(['start', 'work', '--json'], o)).stdout);
    expect(same.session_id).toBe('2025-10-25-session-003-work');
    const other = JSON.parse((await ok(['start', 'else', '--json'], o)).stdout);
    expect(other.session_id).toBe('2025-10-25-session-004-else');
    // The leftover refs are untouched.
    expect(repo.git('rev-parse', 'refs/sessions/2025-10-25-session-001-work')).toBe(repo.git('rev-parse', 'HEAD'));
  }, 15_000);

  it('steps over a number whose ref is locked by another git process, and gives up with a clear error, never spins', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env, now: NOW };
    const refsDir = join(repo.dir, '.git/refs/sessions');
    mkdirSync(refsDir, { recursive: true });
    // A git process killed while creating the ref leaves its lock file; for-each-ref cannot see it.
    writeFileSync(join(refsDir, '2025-10-25-session-001-work.lock'), '');
    expect(JSON.parse((await ok(['start', 'work', '--json'], o)).stdout).session_id).toBe('2025-10-25-session-002-work');

    for (let n = 3; n <= 40; n++) writeFileSync(join(refsDir, `2025-10-25-session-${String(n).padStart(3, '0')}-work.lock`), '');
    const stuck = await runCli(['start', 'work'], o);
    expect(stuck.code).toBe(7);
    expect(oneLineError(stuck)).toMatch(/no free session number for 2025-10-25: the refs of sessions 003 to 022 could not be created/);
    expect(readdirSync(join(repo.dir, '04-agents/sessions/active'))).toEqual(['2025-10-25-session-002-work']);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions')).toBe('refs/sessions/2025-10-25-session-002-work');
  }, 30_000);

  it('sanitises the focus into the id and keeps the text as given', async () => {
    const repo = makeRepo();
    const r = await ok(['start', 'Café: Fix bug #42 in the Login-Flow, quickly please!', 'codex', '--json'], { cwd: repo.dir, env: repo.env, now: NOW });
    const j = JSON.parse(r.stdout);
    expect(j.session_id).toBe('2025-10-25-session-001-cafe-fix-bug-42-in-the-login');
    expect(j.focus).toBe('Café: Fix bug #42 in the Login-Flow, quickly please!');
    expect(j.agent).toBe('codex');
  });

  it('stores --meta pairs as the spec\'s metadata dict', async () => {
    const repo = makeRepo();
    const r = await ok(['start', 'meta', '--meta', 'ticket=AUTH-1', '--meta', 'team=core', '--json'], { cwd: repo.dir, env: repo.env, now: NOW });
    const ws = join(repo.dir, JSON.parse(r.stdout).workspace);
    expect(parse(readFileSync(join(ws, 'session.yaml'), 'utf8')).metadata).toEqual({ ticket: 'AUTH-1', team: 'core' });
  });

  it('works in a repository with no commits and no identity, leaving HEAD unborn', async () => {
    const repo = makeRepo({ commit: false, identity: false });
    const r = await ok(['start', 'first steps', '--json'], { cwd: repo.dir, env: repo.env, now: NOW });
    const j = JSON.parse(r.stdout);
    expect(j.empty_base).toBe(true);
    expect(repo.git('cat-file', '-t', j.base_commit)).toBe('commit');
    expect(repo.git('log', '--format=%T', '-1', j.git_ref)).toBe(repo.git('mktree'));
    expect(() => repo.git('rev-parse', '--verify', '-q', 'HEAD')).toThrow();
  });

  it('works from a subdirectory and with -C', async () => {
    const repo = makeRepo();
    const elsewhere = scratch();
    await ok(['-C', repo.dir, 'start', 'from elsewhere'], { cwd: elsewhere, env: repo.env, now: NOW });
    await ok(['start', 'from src'], { cwd: join(repo.dir, 'src'), env: repo.env, now: NOW });
    expect(readdirSync(join(repo.dir, '04-agents/sessions/active')).sort()).toEqual([
      '2025-10-25-session-001-from-elsewhere',
      '2025-10-25-session-002-from-src',
    ]);
  });

  it.each([
    [['start', '🚀🔥'], 5, /no letters or digits/],
    [['start', '   '], 5, /focus is empty/],
    [['start', 'x'.repeat(10_000)], 5, /limit is 500/],
    [['start', 'ok', 'bad/agent'], 5, /invalid agent name/],
    [['start', 'ok', '--meta', 'novalue'], 2, /--meta takes key=value/],
    [['start'], 2, /missing required argument 'focus'/],
  ])('refuses bad input %j with exit %i and changes nothing', async (args, code, message) => {
    const repo = makeRepo();
    const r = await runCli(args as string[], { cwd: repo.dir, env: repo.env, now: NOW });
    expect(r.code).toBe(code);
    expect(oneLineError(r)).toMatch(message);
    expect(existsSync(join(repo.dir, '04-agents'))).toBe(false);
    expect(repo.git('for-each-ref', 'refs/sessions')).toBe('');
  });

  it('says clearly when there is no git repository, or only a bare one', async () => {
    const dir = scratch();
    const env = isolatedEnv(dir);
    const r = await runCli(['start', 'x'], { cwd: dir, env });
    expect(r.code).toBe(3);
    expect(oneLineError(r)).toMatch(/not a git repository/);
    expect(existsSync(join(dir, '04-agents'))).toBe(false);

    const repo = makeRepo();
    const bare = join(scratch(), 'bare.git');
    repo.git('clone', '-q', '--bare', repo.dir, bare);
    const b = await runCli(['list'], { cwd: bare, env: repo.env });
    expect(b.code).toBe(3);
    expect(oneLineError(b)).toMatch(/non-bare repository/);

    const missing = await runCli(['-C', join(dir, 'nope'), 'list'], { cwd: dir, env });
    expect(missing.code).toBe(3);
    expect(oneLineError(missing)).toMatch(/no such directory/);
  });
});
