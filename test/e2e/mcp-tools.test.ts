import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { runCli } from '../support/cli.js';
import { fileHashes } from '../support/state.js';
import { call, connect, errorText, okCall } from '../support/mcp.js';

// The MCP tools over the newer verbs (fork, compare, blame, stats, du, gc, off-site backups), each called through the
// SDK's own client over stdio against a real repository, and checked against what is on disk and in git.

const gitIn = (repo: TestRepo, dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: repo.env, encoding: 'utf8' }).trimEnd();

/** Every file of the working tree and .git with its content, and every ref: what "changed nothing" compares. */
const state = (repo: TestRepo) => `${JSON.stringify([...fileHashes(repo.dir)])}\n${repo.git('for-each-ref')}`;

describe('session_fork and session_compare', () => {
  it('forks a checkpoint into a new worktree and session, and compares the two final states', async () => {
    const repo = makeRepo();
    const { client, protocolErrors } = await connect(repo.dir, repo.env);
    const parent = await okCall(client, 'session_start', { focus: 'login page' });
    repo.write('src/main.js', "console.log('login v1');\n");
    const cp = await okCall(client, 'session_checkpoint', { session_id: parent.session_id, description: 'login skeleton' });
    const branches = repo.git('for-each-ref', 'refs/heads/');

    const forked = await okCall(client, 'session_fork', { session_id: parent.session_id, focus: 'login with tokens', agent: 'codex' });
    expect(forked.session_id).toMatch(/-session-002-login-with-tokens$/);
    expect(forked).toMatchObject({
      agent: 'codex', focus: 'login with tokens', parent_worktree: repo.dir, git_ref: `refs/sessions/${forked.session_id}`,
      forked_from: { session_id: parent.session_id, checkpoint_id: cp.checkpoint_id, commit: cp.commit },
    });
    // The default place: beside the main worktree; a detached HEAD at the base commit, which sits on the checkpoint.
    expect(forked.worktree).toBe(join(dirname(repo.dir), `repo-${forked.session_id}`));
    expect(gitIn(repo, forked.worktree, 'rev-parse', 'HEAD')).toBe(forked.base_commit);
    expect(repo.git('rev-parse', `${forked.base_commit}^`)).toBe(cp.commit);
    expect(repo.git('rev-parse', forked.git_ref)).toBe(forked.base_commit);
    expect(repo.git('for-each-ref', 'refs/heads/')).toBe(branches);
    expect(readFileSync(join(forked.worktree, 'src/main.js'), 'utf8')).toBe("console.log('login v1');\n");
    const doc = parse(readFileSync(join(forked.worktree, forked.workspace, 'session.yaml'), 'utf8'));
    expect(doc.forked_from).toEqual({ session: parent.session_id, checkpoint: cp.checkpoint_id, commit: cp.commit });

    // Each attempt goes on in its own worktree: the fork's agent has its own server there.
    const there = await connect(forked.worktree, repo.env);
    writeFileSync(join(forked.worktree, 'src/main.js'), "console.log('login v1');\nconsole.log('tokens');\n");
    await okCall(there.client, 'session_checkpoint', { session_id: forked.session_id, description: 'tokens' });
    repo.write('src/main.js', "console.log('login v2');\n");
    await okCall(client, 'session_checkpoint', { session_id: parent.session_id, description: 'sessions' });

    // `run` is no argument of the tool: a command passed anyway is not run.
    const marker = join(scratch(), 'ran');
    const r = await call(client, 'session_compare', { session_ids: [parent.session_id, forked.session_id], patch: true, run: `touch ${marker}` });
    expect(r.isError).toBeFalsy();
    const compared = r.structuredContent as any;
    expect(existsSync(marker)).toBe(false);
    expect(compared.sessions.map((s: any) => [s.session_id, s.worktree, s.forked_from?.checkpoint_id ?? null, s.run])).toEqual([
      [parent.session_id, repo.dir, null, null],
      [forked.session_id, forked.worktree, cp.checkpoint_id, null],
    ]);
    // From its base (HEAD when it started; its first checkpoint also took the .gitignore start wrote).
    expect(compared.sessions[0]).toMatchObject({ checkpoints: 2 });
    expect(compared.sessions[0].files).toContainEqual({ path: 'src/main.js', status: 'M', added: 1, removed: 1 });
    expect(compared.sessions[1]).toMatchObject({ checkpoints: 1, agent: 'codex', files: [{ path: 'src/main.js', status: 'M', added: 1, removed: 0 }] });
    expect(compared.diffs).toHaveLength(1);
    expect(compared.diffs[0]).toMatchObject({ from: parent.session_id, to: forked.session_id, files_changed: 1, files: [{ path: 'src/main.js' }] });
    expect(compared.diffs[0].patch).toContain("-console.log('login v2');");
    expect(compared.diffs[0].patch).toContain("+console.log('tokens');");
    expect((r.content[0] as { text: string }).text).toContain(`${parent.session_id} -> ${forked.session_id}: 1 file differs`);

    expect(errorText(await call(client, 'session_compare', { session_ids: [parent.session_id] }))).toMatch(/session_ids/);
    expect(protocolErrors).toEqual([]);
  });

  it('puts a named worktree only where the server may write, and refuses a folder in use without the CLI flag in its sentence', async () => {
    const repo = makeRepo();
    const attempts = scratch('specmap-attempts-');
    const { client } = await connect(repo.dir, repo.env, [repo.dir, attempts]);
    const s = await okCall(client, 'session_start', { focus: 'parser' });
    repo.write('src/parser.js', 'export const parse = (s) => s.split(",");\n');
    await okCall(client, 'session_checkpoint', { session_id: s.session_id, description: 'split' });
    const before = repo.git('for-each-ref');

    const elsewhere = join(scratch('specmap-elsewhere-'), 'attempt');
    expect(errorText(await call(client, 'session_fork', { session_id: s.session_id, worktree: elsewhere })))
      .toMatch(/^worktree ".*attempt" is outside the folders this server may open/);
    // A link inside an allowed folder does not lead out of it.
    execFileSync('ln', ['-s', dirname(elsewhere), join(attempts, 'link')]);
    expect(errorText(await call(client, 'session_fork', { session_id: s.session_id, worktree: join(attempts, 'link', 'attempt') }))).toMatch(/outside the folders/);
    // Nor does a link to a folder not made yet.
    execFileSync('ln', ['-s', elsewhere, join(attempts, 'dangling')]);
    expect(errorText(await call(client, 'session_fork', { session_id: s.session_id, worktree: join(attempts, 'dangling') }))).toMatch(/outside the folders/);
    expect(existsSync(elsewhere)).toBe(false);
    mkdirSync(join(attempts, 'busy'));
    writeFileSync(join(attempts, 'busy', 'keep.txt'), 'mine\n');
    expect(errorText(await call(client, 'session_fork', { session_id: s.session_id, worktree: join(attempts, 'busy') })))
      .toBe(`${join(attempts, 'busy')} already exists and is not an empty folder (pass another worktree, or leave it out for the default)`);
    expect(readdirSync(join(attempts, 'busy'))).toEqual(['keep.txt']);
    expect(repo.git('for-each-ref')).toBe(before);

    const forked = await okCall(client, 'session_fork', { session_id: s.session_id, checkpoint_id: 'checkpoint-001', worktree: join(attempts, 'b') });
    expect(forked.worktree).toBe(join(attempts, 'b'));
    expect(readFileSync(join(attempts, 'b', 'src/parser.js'), 'utf8')).toBe('export const parse = (s) => s.split(",");\n');
    expect(gitIn(repo, repo.dir, 'worktree', 'list', '--porcelain')).toContain(`worktree ${join(attempts, 'b')}`);
  });
});

const CONV = 'conv-mcp-attribution';

describe('attribution_blame and attribution_stats', () => {
  it("say which lines the agent wrote in its session and which the person did, after real commits", async () => {
    const repo = makeRepo();
    const env = { ...repo.env, SPECMAP_BACKGROUND: '0' };
    delete env.CLAUDE_PROJECT_DIR;
    const hook = async (event: string, extra: Record<string, unknown> = {}) => {
      const r = await runCli(['agent-hook', 'claude'], { cwd: repo.dir, env, input: JSON.stringify({ session_id: CONV, hook_event_name: event, cwd: repo.dir, ...extra }) });
      expect(r.code, r.stderr).toBe(0);
    };
    const commit = (message: string) => {
      const r = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return repo.git('rev-parse', 'HEAD');
    };
    expect((await runCli(['hooks', 'install'], { cwd: repo.dir, env })).code).toBe(0);
    await hook('SessionStart', { source: 'startup' });
    await hook('UserPromptSubmit', { prompt: 'write the parser' });
    repo.write('src/parser.js', 'function parse(s) {\n  return s.split(",");\n}\n');
    await hook('Stop');
    repo.git('add', 'src/parser.js');
    const agentCommit = commit('parser');
    // The person adds a line of their own and commits it.
    repo.write('src/parser.js', 'function parse(s) {\n  return s.split(",");\n}\n// reviewed\n');
    repo.git('add', 'src/parser.js');
    const humanCommit = commit('review note');
    repo.write('src/parser.js', 'function parse(s) {\n  return s.split(",");\n}\n// reviewed\n// draft\n');

    const { client } = await connect(repo.dir, env);
    const [session] = (await okCall(client, 'session_list_active', {})).sessions;
    const blamed = await okCall(client, 'attribution_blame', { file_path: 'src/parser.js' });
    expect(blamed.lines.map((l: any) => [l.line, l.by, l.commit, l.agent, l.session_id])).toEqual([
      [1, 'ai', agentCommit, 'claude', session.session_id],
      [2, 'ai', agentCommit, 'claude', session.session_id],
      [3, 'ai', agentCommit, 'claude', session.session_id],
      [4, 'human', humanCommit, null, null],
      [5, 'uncommitted', null, null, null],
    ]);
    expect(blamed.summary).toEqual({ ai: 3, human: 1, unknown: 0, uncommitted: 1 });
    const atFirst = await okCall(client, 'attribution_blame', { file_path: 'src/parser.js', rev: agentCommit });
    expect(atFirst).toMatchObject({ rev: agentCommit, summary: { ai: 3, human: 0, unknown: 0, uncommitted: 0 } });

    const st = await okCall(client, 'attribution_stats', {});
    expect(st.total).toEqual({ commits: 2, ai_lines: 3, human_lines: 1, ai_share: 0.75, agents: { claude: 3 } });
    expect(st.commits.map((c: any) => [c.commit, c.ai_lines, c.human_lines])).toEqual([[humanCommit, 0, 1], [agentCommit, 3, 0]]);
    expect(st.sessions).toEqual([expect.objectContaining({ session_id: session.session_id, ai_lines: 3, human_lines: 1 })]);
    expect(st.files).toEqual([expect.objectContaining({ path: 'src/parser.js', ai_lines: 3, human_lines: 1 })]);
    expect((await okCall(client, 'attribution_stats', { since: '2999-01-01' })).total.commits).toBe(0);

    expect(errorText(await call(client, 'attribution_blame', { file_path: '../outside.js' }))).toMatch(/outside/);
    expect(errorText(await call(client, 'attribution_blame', { file_path: 'src/parser.js', rev: '--output=/tmp/x' }))).toMatch(/invalid revision/);
    expect(errorText(await call(client, 'attribution_stats', { since: 'yesterday' }))).toMatch(/since must be a date YYYY-MM-DD/);
  });
});

describe('disk_usage and gc', () => {
  it('lists every session with its cost; a gc dry run changes nothing, then gc drops the ZIP git holds', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    const first = await okCall(client, 'session_start', { focus: 'first' });
    repo.write('data/blob.txt', `${'x'.repeat(30_000)}\n`);
    await okCall(client, 'session_checkpoint', { session_id: first.session_id, description: 'blob' });
    const ended = await okCall(client, 'session_end', { session_id: first.session_id });
    const second = await okCall(client, 'session_start', { focus: 'second' });
    repo.write('b.txt', 'b\n');
    await okCall(client, 'session_checkpoint', { session_id: second.session_id, description: 'b' });

    const du = await okCall(client, 'disk_usage', {});
    expect(du.sessions.map((s: any) => [s.session_id, s.state, s.checkpoints])).toEqual([[first.session_id, 'archive', 1], [second.session_id, 'active', 1]]);
    expect(du.sessions[0].zip).toBe(ended.backup.path);
    expect(du.sessions[0].zip_bytes).toBeGreaterThan(0);
    expect(du.sessions[0].git_bytes).toBeGreaterThan(0);
    expect(du.totals).toMatchObject({ sessions: 2, checkpoints: 2 });
    const one = await okCall(client, 'disk_usage', { session_id: second.session_id });
    expect(one.sessions).toEqual([du.sessions[1]]);
    expect(errorText(await call(client, 'disk_usage', { session_id: 'no-such-session' }))).toMatch(/no-such-session/);

    const before = state(repo);
    const dry = await okCall(client, 'gc', { keep_session_zips: 0, dry_run: true });
    expect(dry.dry_run).toBe(true);
    expect(dry.removed.map((x: any) => [x.kind, x.name])).toEqual([['session_zip', first.session_id]]);
    expect(dry.removed[0].paths).toContain(ended.backup.path);
    expect(dry.loose_objects.after).toBeNull();
    expect(state(repo)).toBe(before);

    const done = await okCall(client, 'gc', { keep_session_zips: 0 });
    expect(done.dry_run).toBe(false);
    expect(done.removed.map((x: any) => x.name)).toEqual([first.session_id]);
    expect(existsSync(join(repo.dir, ended.backup.path))).toBe(false);
    // What the ZIP held is still in git: the checkpoint is listed from there.
    const log = await okCall(client, 'session_log', { session_id: first.session_id });
    expect(log.checkpoints.map((c: any) => c.source)).toEqual(['git']);
    expect((await okCall(client, 'gc', { keep_session_zips: 0 })).removed).toEqual([]);
    expect(errorText(await call(client, 'gc', { keep_daily: -1 }))).toMatch(/keep_daily/);
  });
});

describe('backup_offsite_push, _list, _verify and _pull to a local folder (rclone local backend)', () => {
  it('sends every backup to the configured folder, lists and verifies it there, and fetches a lost ZIP back byte for byte', async () => {
    const repo = makeRepo();
    const env = { ...repo.env, RCLONE_CONFIG: '/dev/null' };
    const { client } = await connect(repo.dir, env);
    const s = await okCall(client, 'session_start', { focus: 'offsite' });
    repo.write('01-specifications/auth.md', '# Auth\n');
    const ended = await okCall(client, 'session_end', { session_id: s.session_id });
    const daily = await okCall(client, 'create_daily_backup', {});

    expect(errorText(await call(client, 'backup_offsite_list', {})))
      .toBe('no off-site copy is configured: set backup: {offsite: <rclone remote or folder>} in 04-agents/config.yaml (the MCP tools use only that one)');
    const copy = join(scratch('specmap-offsite-'), 'copy');
    repo.write('04-agents/config.yaml', `backup:\n  offsite: ${copy}\n`);

    // A remote passed anyway is not an argument: the backups go to the configured folder only.
    const other = join(scratch('specmap-offsite-'), 'other');
    const pushed = await okCall(client, 'backup_offsite_push', { remote: other });
    expect(existsSync(other)).toBe(false);
    expect(pushed).toMatchObject({ remote: copy, ok: true, replaced_dir: null, check: { problems: [] } });
    expect(pushed.backups.map((b: any) => [b.kind, b.name, b.action])).toEqual([['session', s.session_id, 'uploaded'], ['daily', daily.name, 'uploaded']]);
    const sent = fileHashes(copy);
    expect([...sent.keys()]).toEqual(expect.arrayContaining(pushed.backups.flatMap((b: any) => b.files)));
    const local = fileHashes(join(repo.dir, '04-agents/backups'));
    for (const [p, h] of sent) expect(local.get(p), p).toBe(h);
    expect((await okCall(client, 'backup_offsite_push', {})).backups.map((b: any) => b.action)).toEqual(['already-there', 'already-there']);

    const listed = await okCall(client, 'backup_offsite_list', {});
    expect(listed.backups.map((b: any) => [b.kind, b.local, b.remote, b.same])).toEqual([['session', 'present', 'present', true], ['daily', 'present', 'present', true]]);
    const verified = await okCall(client, 'backup_offsite_verify', {});
    expect(verified.ok).toBe(true);
    expect(verified.results.map((x: any) => [x.remote, x.local])).toEqual([['match', 'same'], ['match', 'same']]);

    const zip = join(repo.dir, ended.backup.path);
    const bytes = readFileSync(zip);
    rmSync(zip);
    expect((await okCall(client, 'backup_offsite_list', {})).backups[0]).toMatchObject({ kind: 'session', local: 'missing', remote: 'present' });
    const pulled = await okCall(client, 'backup_offsite_pull', {});
    expect(pulled.ok).toBe(true);
    expect(pulled.backups.map((b: any) => [b.kind, b.action])).toEqual([['session', 'fetched'], ['daily', 'present']]);
    expect(readFileSync(zip).equals(bytes)).toBe(true);
    expect((await okCall(client, 'backup_verify', {})).ok).toBe(true);

    // A remote ZIP damaged after it was sent: verify says so without failing the call.
    const remoteZip = join(copy, [...sent.keys()].find((p) => p.endsWith('.zip') && p.startsWith('sessions/'))!);
    const damaged = readFileSync(remoteZip);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    writeFileSync(remoteZip, damaged);
    const bad = await call(client, 'backup_offsite_verify', {});
    expect(bad.isError).toBeFalsy();
    expect((bad.structuredContent as any).ok).toBe(false);
    expect((bad.structuredContent as any).results[0]).toMatchObject({ kind: 'session', ok: false, remote: 'mismatch' });
    expect((bad.content[0] as { text: string }).text).toMatch(new RegExp(`^FAILED session ${s.session_id}: remote mismatch`));
  }, 120_000);
});

describe('create_milestone_backup and project_doctor', () => {
  it('backs the project up under a name, never replaces it, and doctor reports a lost tag without repairing it', async () => {
    const repo = makeRepo();
    const { client } = await connect(repo.dir, repo.env);
    repo.write('notes/untracked.md', '# not committed yet\n');
    const m = await okCall(client, 'create_milestone_backup', { name: 'v1.0-release' });
    expect(m).toMatchObject({ kind: 'milestone', name: 'v1.0-release', ref: 'refs/tags/milestones/v1.0-release', updated: false });
    expect(repo.git('rev-parse', 'milestones/v1.0-release^{commit}')).toBe(m.commit);
    expect(repo.git('show', `${m.commit}:notes/untracked.md`)).toBe('# not committed yet');
    expect(existsSync(join(repo.dir, m.zip))).toBe(true);
    expect(JSON.parse(readFileSync(join(repo.dir, m.manifest), 'utf8')).files.map((f: any) => f.path)).toContain('notes/untracked.md');

    const zip = readFileSync(join(repo.dir, m.zip));
    repo.write('notes/untracked.md', '# changed\n');
    expect(errorText(await call(client, 'create_milestone_backup', { name: 'v1.0-release' }))).toMatch(/milestone v1.0-release already exists/);
    expect(readFileSync(join(repo.dir, m.zip)).equals(zip)).toBe(true);
    expect(repo.git('rev-parse', 'milestones/v1.0-release^{commit}')).toBe(m.commit);
    expect(errorText(await call(client, 'create_milestone_backup', { name: '../escape' }))).toMatch(/milestone/);

    const s = await okCall(client, 'session_start', { focus: 'doctor' });
    repo.write('a.txt', 'a\n');
    const cp = await okCall(client, 'session_checkpoint', { session_id: s.session_id, description: 'a' });
    expect((await okCall(client, 'project_doctor', {})).findings).toEqual([]);
    repo.git('tag', '-d', `checkpoints/${s.session_id}/${cp.checkpoint_id}`);
    const before = state(repo);
    const d = await okCall(client, 'project_doctor', {});
    expect(d.remaining).toBeGreaterThan(0);
    expect(d.fixed).toBe(0);
    expect(d.findings).toContainEqual(expect.objectContaining({ subject: expect.stringContaining(cp.checkpoint_id), fixable: true, fixed: false }));
    expect(state(repo)).toBe(before);
  });
});
