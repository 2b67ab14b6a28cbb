import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { doctorFindings, ok, oneLineError, runCli } from '../support/cli.js';
import type { z } from 'zod';
import { forkResult } from '../../src/api/contract/fork.js';
import { compareResult } from '../../src/api/contract/compare.js';
import { listSessionsResult } from '../../src/api/contract/list-sessions.js';
import { endResult } from '../../src/api/contract/end.js';

/** `--json` output is exactly the contract: no key more or less (as test/e2e/json-contract.test.ts checks). */
function expectContract(schema: z.ZodObject, stdout: string) {
  const parsed = schema.strict().safeParse(JSON.parse(stdout));
  expect(parsed.success ? '' : parsed.error.message).toBe('');
}

const NOW = '2025-10-25T09:00:00';
const PARENT = '2025-10-25-session-001-login-page';

/** A project whose session 001 took one checkpoint (a change nobody committed), ready to be forked. */
async function forkable() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'login page'], { ...o, now: NOW });
  repo.write('src/main.js', "console.log('login v1');\n");
  await ok(['checkpoint', '@', 'login skeleton'], { ...o, now: '2025-10-25T09:10:00' });
  return { repo, o };
}

interface Fork { session_id: string; worktree: string; base_commit: string; forked_from: { session_id: string; checkpoint_id: string; commit: string } }

async function fork(repo: TestRepo, args: string[], now = '2025-10-25T09:20:00'): Promise<Fork> {
  return JSON.parse((await ok(['fork', ...args, '--json'], { cwd: repo.dir, env: repo.env, now })).stdout);
}

/** git in another worktree, with the test's isolated config. */
const gitIn = (repo: TestRepo, dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: repo.env, encoding: 'utf8' }).trimEnd();

function write(dir: string, rel: string, text: string) {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

const inDir = (repo: TestRepo, dir: string, now?: string) => ({ cwd: dir, env: repo.env, ...(now ? { now } : {}) });

/**
 * `merge <fork>` from the main worktree refuses over src/main.js, which holds `local` there, and changes nothing:
 * HEAD, the index and the file stay as they were.
 */
async function expectMergeRefused(repo: TestRepo, fork: string, local: string): Promise<void> {
  const head = repo.git('rev-parse', 'HEAD');
  const index = repo.git('ls-files', '-s');
  const r = await runCli(['merge', fork], { cwd: repo.dir, env: repo.env });
  expect(r.code).toBe(7);
  expect(oneLineError(r)).toMatch(/local changes here are in the way: src\/main\.js/);
  expect(repo.git('rev-parse', 'HEAD')).toBe(head);
  expect(repo.git('ls-files', '-s')).toBe(index);
  expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe(local);
}

describe('specmap fork, compare, merge and end --discard', () => {
  it('two forks of one checkpoint, edited differently: compared, one merged, the other discarded with nothing lost', async () => {
    const { repo, o } = await forkable();
    const branches = repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/');
    const a = await fork(repo, [`${PARENT}:~0`, 'login with sessions', '--agent', 'claude']);
    const bDir = join(repo.dir, '..', 'attempt-b');
    const b = await fork(repo, [`${PARENT}:checkpoint-001`, 'login with tokens', '--agent', 'codex', '--worktree', bDir], '2025-10-25T09:21:00');

    // Numbered across worktrees; the default worktree sits beside the main one; no branch was created or moved.
    expect(a.session_id).toBe('2025-10-25-session-002-login-with-sessions');
    expect(b.session_id).toBe('2025-10-25-session-003-login-with-tokens');
    expect(a.worktree).toBe(join(dirname(repo.dir), `repo-${a.session_id}`));
    expect(b.worktree).toBe(bDir);
    expect(repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/')).toBe(branches);
    const checkpoint = JSON.parse((await ok(['show', PARENT, '--json'], o)).stdout).document.checkpoints[0];
    for (const f of [a, b]) {
      expect(f.forked_from).toEqual({ session_id: PARENT, checkpoint_id: checkpoint.id, commit: checkpoint.commit });
      // A detached HEAD at the fork's base: a commit on the checkpoint, naming its parent in a trailer.
      expect(() => gitIn(repo, f.worktree, 'symbolic-ref', '-q', 'HEAD')).toThrow();
      expect(gitIn(repo, f.worktree, 'rev-parse', 'HEAD')).toBe(f.base_commit);
      expect(repo.git('rev-parse', `${f.base_commit}^`)).toBe(checkpoint.commit);
      expect(repo.git('log', '-1', '--format=%(trailers:key=Forked-From,valueonly)', f.base_commit)).toBe(`${PARENT}:${checkpoint.id}`);
      expect(repo.git('rev-parse', `refs/sessions/${f.session_id}`)).toBe(f.base_commit);
      // The checkpoint's state, without the parent's workspace; only the fork's own folder is new.
      expect(readFileSync(join(f.worktree, 'src/main.js'), 'utf8')).toBe("console.log('login v1');\n");
      expect(existsSync(join(f.worktree, `04-agents/sessions/active/${PARENT}`))).toBe(false);
      expect(gitIn(repo, f.worktree, 'status', '--porcelain')).toBe('?? 04-agents/');
      const doc = parse(readFileSync(join(f.worktree, `04-agents/sessions/active/${f.session_id}/session.yaml`), 'utf8'));
      expect(doc.forked_from).toEqual({ session: PARENT, checkpoint: checkpoint.id, commit: checkpoint.commit });
      expect(doc.git).toEqual({ ref: `refs/sessions/${f.session_id}`, base_commit: f.base_commit });
    }

    // Each agent works in its own worktree; `@` there is its fork, and every command works as anywhere.
    write(a.worktree, 'src/main.js', "console.log('login v2: sessions');\n");
    write(a.worktree, 'src/session.js', 'export const session = {};\n');
    await ok(['checkpoint', '@', 'sessions work'], inDir(repo, a.worktree, '2025-10-25T09:40:00'));
    write(b.worktree, 'src/token.js', 'export const token = 1;\nexport const ttl = 60;\n');
    await ok(['checkpoint', '@', 'tokens work'], inDir(repo, b.worktree, '2025-10-25T09:45:00'));
    expect(await doctorFindings({ dir: a.worktree, env: repo.env })).toEqual([]);

    // The family, from any worktree.
    const tree = JSON.parse((await ok(['list', '--tree', '--json'], inDir(repo, b.worktree))).stdout).sessions;
    expect(tree.map((s: { session_id: string; worktree: string; forked_from?: { session_id: string } }) => [s.session_id, s.worktree, s.forked_from?.session_id])).toEqual([
      [PARENT, repo.dir, undefined], [a.session_id, a.worktree, PARENT], [b.session_id, b.worktree, PARENT],
    ]);
    const text = (await ok(['list', '--tree'], o)).stdout;
    expect(text).toContain(`├─ ${a.session_id} @ ${checkpoint.id}`);
    expect(text).toContain(`└─ ${b.session_id} @ ${checkpoint.id}`);

    // Side by side, with the test command run in each worktree.
    const cmp = JSON.parse((await ok(['compare', a.session_id, '2025-10-25-session-003', '--run', 'test -f src/session.js', '--json'], { ...o, now: '2025-10-25T10:00:00' })).stdout);
    const [ca, cb] = cmp.sessions;
    expect(ca).toMatchObject({
      session_id: a.session_id, worktree: a.worktree, agent: 'claude', checkpoints: 1, files_touched: 2, lines_added: 2, lines_removed: 1,
      duration_minutes: 40, not_checkpointed: [], forked_from: { session_id: PARENT },
      files: [{ path: 'src/main.js', status: 'M', added: 1, removed: 1 }, { path: 'src/session.js', status: 'A', added: 1, removed: 0 }],
      run: { command: 'test -f src/session.js', exit_code: 0, timed_out: false },
    });
    expect(cb).toMatchObject({ session_id: b.session_id, agent: 'codex', files_touched: 1, lines_added: 2, lines_removed: 0, run: { exit_code: 1, timed_out: false } });
    expect(cmp.diffs).toEqual([{
      from: a.session_id, to: b.session_id, files_changed: 3, lines_added: 3, lines_removed: 2,
      files: [
        { path: 'src/main.js', added: 1, removed: 1 },
        { path: 'src/session.js', added: 0, removed: 1 },
        { path: 'src/token.js', added: 2, removed: 0 },
      ],
    }]);
    const shown = (await ok(['compare', a.session_id, b.session_id, '--patch'], o)).stdout;
    expect(shown).toMatch(/files touched\s+2\s+1/);
    expect(shown).toContain('+export const token = 1;');

    // A wins: merged from the main worktree, whose work tree gets its files (the parent's uncommitted state was
    // the fork's starting point, so writing over it loses nothing).
    const head = repo.git('rev-parse', 'HEAD');
    const merged = JSON.parse((await ok(['merge', a.session_id, '--json'], o)).stdout);
    expect(merged).toMatchObject({ session_id: a.session_id, branch: 'main', parent: head, merged: false });
    expect(merged.files).toEqual(['.gitignore', 'src/main.js', 'src/session.js']);
    expect(repo.git('show', 'HEAD:src/main.js')).toBe("console.log('login v2: sessions');");
    expect(readFileSync(join(repo.dir, 'src/session.js'), 'utf8')).toBe('export const session = {};\n');
    expect(repo.git('status', '--porcelain', '--', 'src', '.gitignore')).toBe('');

    // B loses: ended and discarded from the main worktree.
    const tip = repo.git('rev-parse', `refs/sessions/${b.session_id}`);
    const ended = JSON.parse((await ok(['end', b.session_id, '6', '--discard', '--json'], { ...o, now: '2025-10-25T10:05:00' })).stdout);
    expect(ended).toMatchObject({
      session_id: b.session_id, rulemap_score: 6, checkpoints: 1, archive: `04-agents/sessions/archive/${b.session_id}/`,
      discarded: { worktree: b.worktree, backup: `04-agents/backups/sessions/${b.session_id}-backup.zip`, deleted_ignored: [] },
    });
    const bDoc = JSON.parse((await ok(['show', b.session_id, '--json'], o)).stdout).document;
    expect(ended.discarded.kept_refs).toEqual([`refs/sessions/${b.session_id}`, `refs/tags/checkpoints/${b.session_id}/${bDoc.checkpoints[0].id}`]);
    expect(existsSync(b.worktree)).toBe(false);
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain(b.worktree);
    // Nothing lost: every checkpointed state in git, the ZIP verified here, the session archived here, doctor content.
    expect(repo.git('rev-parse', `refs/sessions/${b.session_id}`)).toBe(tip);
    expect(repo.git('show', `${tip}:src/token.js`)).toBe('export const token = 1;\nexport const ttl = 60;');
    const verify = JSON.parse((await ok(['backup', 'verify', b.session_id, '--json'], o)).stdout);
    expect(verify.results).toEqual([expect.objectContaining({ kind: 'session', name: b.session_id, ok: true, archive: 'match' })]);
    const archived = parse(readFileSync(join(repo.dir, `04-agents/sessions/archive/${b.session_id}/session.yaml`), 'utf8'));
    expect(archived.session).toMatchObject({ id: b.session_id, status: 'completed' });
    expect(readFileSync(join(repo.dir, 'TRACKING.md'), 'utf8')).toContain(b.session_id);
    const restored = JSON.parse((await ok(['restore', '--restore-checkpoint', b.session_id, '~0', '--json'], o)).stdout);
    expect(readFileSync(join(repo.dir, restored.destination, 'src/token.js'), 'utf8')).toBe('export const token = 1;\nexport const ttl = 60;\n');
    expect(await doctorFindings(repo)).toEqual([]);
    const family = JSON.parse((await ok(['list', '--tree', '--all', '--json'], o)).stdout).sessions;
    expect(family.find((s: { session_id: string }) => s.session_id === b.session_id)).toMatchObject({ state: 'archive', worktree: repo.dir, forked_from: { session_id: PARENT } });

    // The HTML report compares the family too (the winner in its worktree, the loser archived here).
    const html = join(repo.dir, '..', 'report.html');
    const rep = JSON.parse((await ok(['report', '-o', html, '--json'], o)).stdout);
    expect(rep.forks).toEqual([{
      parent_session_id: PARENT,
      sessions: [
        expect.objectContaining({ session_id: PARENT, forked_at: null }),
        expect.objectContaining({ session_id: a.session_id, forked_at: checkpoint.id, files_touched: 2, lines_added: 2, lines_removed: 1 }),
        expect.objectContaining({ session_id: b.session_id, forked_at: checkpoint.id, status: 'completed', rulemap_score: 6 }),
      ],
      diffs: [
        expect.objectContaining({ from: PARENT, to: a.session_id }),
        expect.objectContaining({ from: PARENT, to: b.session_id }),
        { from: a.session_id, to: b.session_id, files_changed: 3, lines_added: 3, lines_removed: 2 },
      ],
    }]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(`<table class="forks" id="forks-${PARENT}">`);
    expect(page).toContain('3 file(s) differ, +3 −2');
  }, 240_000);

  it('--discard refuses, changing nothing, while the worktree holds anything no checkpoint has', async () => {
    const { repo, o } = await forkable();
    const f = await fork(repo, [`${PARENT}:~0`]);
    const w = f.worktree;
    write(w, 'src/extra.js', 'not checkpointed\n');
    const refuse = async (args: string[], kind: RegExp, cwd = repo.dir) => {
      const r = await runCli(['end', f.session_id, '--discard', ...args], { cwd, env: repo.env });
      expect(r.code).toBe(7);
      expect(oneLineError(r)).toMatch(kind);
      expect(existsSync(join(w, `04-agents/sessions/active/${f.session_id}/session.yaml`))).toBe(true);
      expect(existsSync(join(repo.dir, `04-agents/sessions/archive/${f.session_id}`))).toBe(false);
    };
    await refuse([], /1 file\(s\) in .* differ from the last checkpoint of .*: src\/extra\.js; checkpoint them first/);
    await ok(['checkpoint', '@', 'extra'], inDir(repo, w));
    // A secret file is never taken by a checkpoint unless named, so it would be lost.
    write(w, '.env', 'TOKEN=1\n');
    await refuse([], /differ from the last checkpoint .*: \.env;/);
    await ok(['checkpoint', '@', 'the env file', '.env'], inDir(repo, w));
    // A restored copy in the fork's sessions folder: no checkpoint takes it, so it would be lost too.
    await ok(['restore', 'checkpoint', '@:~0'], inDir(repo, w));
    const restored = readdirSync(join(w, '04-agents/sessions/active')).find((n) => n.endsWith('-restored'))!;
    write(w, `04-agents/sessions/active/${restored}/src/extra.js`, 'a careful edit\n');
    await refuse([], new RegExp(`no session found elsewhere .*: 04-agents/sessions/active/${restored}; move them out first`));
    rmSync(join(w, `04-agents/sessions/active/${restored}`), { recursive: true });
    // Git-ignored files: only with --force.
    write(w, '04-agents/reports/report.html', '<html></html>\n');
    await refuse([], /git-ignored files, .*: 04-agents\/reports\/ .*\(use --force to delete them too\)/);
    // Not from the worktree itself, and never the main worktree's own sessions.
    await refuse([], /lives in this worktree .* run it from another one/, w);
    const mainSession = await runCli(['end', PARENT, '--discard'], o);
    expect(mainSession.code).toBe(7);
    expect(oneLineError(mainSession)).toMatch(/lives in the main worktree/);
    // Commits on the fork's detached HEAD that no ref holds would go with it.
    gitIn(repo, w, 'commit', '-q', '--allow-empty', '-m', 'on the detached HEAD');
    await refuse(['--force'], /HEAD of .* is held by no branch, tag or session/);
    gitIn(repo, w, 'branch', 'keep-it');

    const r = JSON.parse((await ok(['end', f.session_id, '--discard', '--force', '--json'], o)).stdout);
    expect(r.discarded.deleted_ignored).toEqual(['04-agents/reports/']);
    expect(existsSync(w)).toBe(false);
    expect(repo.git('rev-parse', '--verify', '-q', 'refs/heads/keep-it')).toMatch(/^[0-9a-f]{40}$/);
    const tip = repo.git('rev-parse', `refs/sessions/${f.session_id}`);
    expect(repo.git('show', `${tip}:src/extra.js`)).toBe('not checkpointed');
    expect(repo.git('show', `${tip}:.env`)).toBe('TOKEN=1');
    expect(await doctorFindings(repo)).toEqual([]);
    // --no-backup cannot go with it; an unknown session is a plain not-found.
    const usage = await runCli(['end', f.session_id, '--discard', '--no-backup'], o);
    expect(usage.code).toBe(2);
    expect(oneLineError(usage)).toMatch(/cannot go with --no-backup/);
  }, 240_000);

  it('an agent conversation in the fork records into the fork; merge refuses a local edit in its way, changing nothing', async () => {
    const { repo } = await forkable();
    const f = await fork(repo, [`${PARENT}:~0`, '--agent', 'claude']);
    const event = async (body: Record<string, unknown>) => {
      const input = JSON.stringify({ session_id: 'conv-fork', transcript_path: '/tmp/none.jsonl', cwd: f.worktree, ...body });
      const r = await runCli(['agent-hook'], { cwd: f.worktree, env: { ...repo.env, CLAUDE_PROJECT_DIR: f.worktree }, input });
      expect(r.code).toBe(0);
      return r;
    };
    const started = JSON.parse((await event({ hook_event_name: 'SessionStart', source: 'startup' })).stdout);
    expect(started.hookSpecificOutput.additionalContext).toContain(`recorded as session ${f.session_id}.`);
    await event({ hook_event_name: 'UserPromptSubmit', prompt: 'rename the greeting' });
    write(f.worktree, 'src/main.js', "console.log('hello from the fork');\n");
    await event({ hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: join(f.worktree, 'src/main.js'), old_string: 'a', new_string: 'b' } });
    await event({ hook_event_name: 'Stop', stop_hook_active: false });
    const listed = JSON.parse((await ok(['list', '--json'], inDir(repo, f.worktree))).stdout).sessions;
    expect(listed.map((s: { session_id: string }) => s.session_id)).toEqual([f.session_id]);
    const doc = JSON.parse((await ok(['show', f.session_id, '--json'], inDir(repo, f.worktree))).stdout).document;
    expect(doc.metadata).toEqual({ agent_session_id: 'conv-fork' });
    expect(doc.checkpoints.map((c: { description: string }) => c.description)).toEqual(['rename the greeting']);
    expect(doc.artifacts.modified).toEqual(['src/main.js']);

    // A second conversation there does not share it.
    const other = await runCli(['agent-hook'], { cwd: f.worktree, env: { ...repo.env, CLAUDE_PROJECT_DIR: f.worktree }, input: JSON.stringify({ session_id: 'conv-2', cwd: f.worktree, hook_event_name: 'SessionStart', source: 'startup' }) });
    expect(JSON.parse(other.stdout).hookSpecificOutput.additionalContext).not.toContain(f.session_id);

    // src/main.js in the main worktree is edited beyond anything git holds: the merge would lose it.
    repo.write('src/main.js', "console.log('my own edit');\n");
    await expectMergeRefused(repo, f.session_id, "console.log('my own edit');\n");
  }, 180_000);

  it("merge refuses to write over the parent's work done after the fork, even once checkpointed", async () => {
    const { repo, o } = await forkable();
    const f = await fork(repo, [`${PARENT}:~0`, 'fork']);
    write(f.worktree, 'src/main.js', "console.log('the fork');\n");
    await ok(['checkpoint', '@', 'fork work'], inDir(repo, f.worktree, '2025-10-25T09:30:00'));
    // The parent goes on in the main worktree and checkpoints it: in git, but only under its own session.
    repo.write('src/main.js', "console.log('the parent, later');\n");
    await ok(['checkpoint', PARENT, 'parent work'], { ...o, now: '2025-10-25T09:35:00' });
    await expectMergeRefused(repo, f.session_id, "console.log('the parent, later');\n");
    // Back at the fork's starting point, the file is the fork's to write.
    repo.write('src/main.js', "console.log('login v1');\n");
    await ok(['merge', f.session_id], o);
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('the fork');\n");
  }, 180_000);

  it('refuses bad forks and compares before touching anything; --run is stopped at its timeout', async () => {
    const { repo, o } = await forkable();
    const refs = () => repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions/');
    const before = refs();
    const inside = await runCli(['fork', `${PARENT}:~0`, '--worktree', 'nested'], o);
    expect(inside.code).toBe(5);
    expect(oneLineError(inside)).toMatch(/is inside the worktree/);
    const taken = join(repo.dir, '..', 'taken');
    write(taken, 'file.txt', 'x\n');
    const full = await runCli(['fork', `${PARENT}:~0`, '--worktree', taken], o);
    expect(full.code).toBe(7);
    expect(oneLineError(full)).toMatch(/already exists and is not an empty folder/);
    const noCheckpoint = await runCli(['fork', `${PARENT}:checkpoint-009`], o);
    expect(noCheckpoint.code).toBe(4);
    oneLineError(noCheckpoint);
    expect(refs()).toBe(before);
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);

    const forked = await ok(['fork', `${PARENT}:~0`, 'contract', '--json'], o);
    expectContract(forkResult, forked.stdout);
    expectContract(compareResult, (await ok(['compare', PARENT, JSON.parse(forked.stdout).session_id, '-p', '--json'], o)).stdout);
    expectContract(listSessionsResult, (await ok(['list', '--tree', '-a', '--json'], o)).stdout);
    expectContract(endResult, (await ok(['end', JSON.parse(forked.stdout).session_id, '--discard', '--json'], o)).stdout);
    const one = await runCli(['compare', PARENT], o);
    expect(one.code).toBe(2);
    oneLineError(one);
    const f = await fork(repo, [`${PARENT}:~0`]);
    const twice = await runCli(['compare', PARENT, PARENT], o);
    expect(twice.code).toBe(2);
    expect(oneLineError(twice)).toMatch(/named twice/);
    const slow = JSON.parse((await ok(['compare', PARENT, f.session_id, '--run', 'sleep 30', '--timeout', '0.5', '--json'], o)).stdout);
    for (const s of slow.sessions) expect(s.run).toMatchObject({ command: 'sleep 30', exit_code: null, timed_out: true });
    // A command that exits leaving a background process has exited: not timed out, the background process stopped.
    const bg = JSON.parse((await ok(['compare', PARENT, f.session_id, '--run', 'sleep 30 & echo started; exit 3', '--timeout', '20', '--json'], o)).stdout);
    for (const s of bg.sessions) {
      expect(s.run).toMatchObject({ exit_code: 3, timed_out: false });
      expect(s.run.output_tail).toBe('started');
    }
    // The parent's uncommitted change is its checkpoint; an edit after it is listed, not compared.
    repo.write('src/late.js', 'late\n');
    const late = JSON.parse((await ok(['compare', PARENT, f.session_id, '--json'], o)).stdout);
    expect(late.sessions[0].not_checkpointed).toEqual(['src/late.js']);
    expect(late.diffs[0]).toMatchObject({ files_changed: 0, lines_added: 0, lines_removed: 0 });
  }, 180_000);

  it('--run tests the state compared: in the worktree while it holds the last checkpoint, else in a checkout of it', async () => {
    const { repo, o } = await forkable();
    const f = await fork(repo, [`${PARENT}:~0`]);
    write(f.worktree, 'src/main.js', "console.log('fork');\n");
    await ok(['checkpoint', '@', 'fork work'], inDir(repo, f.worktree, '2025-10-25T09:30:00'));
    const cmd = 'cat src/main.js; test -e src/extra.js && echo EXTRA; git rev-parse HEAD';
    const at = async () => JSON.parse((await ok(['compare', PARENT, f.session_id, '--run', cmd, '--json'], o)).stdout).sessions;
    const worktrees = () => repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length;

    const exact = await at();
    expect(exact.map((s: { run: { ran_in: string } }) => s.run.ran_in)).toEqual(['worktree', 'worktree']);
    expect(exact[1].run.output_tail).toBe(`console.log('fork');\n${f.base_commit}`);

    // Past their checkpoints, both worktrees: the command sees the checkpoints, not what is on disk.
    repo.write('src/main.js', "console.log('parent, not checkpointed');\n");
    write(f.worktree, 'src/extra.js', 'not checkpointed\n');
    const moved = await at();
    expect(moved.map((s: { run: { ran_in: string } }) => s.run.ran_in)).toEqual(['checkout', 'checkout']);
    expect(moved[0].run.output_tail).toBe(`console.log('login v1');\n${moved[0].tip}`);
    expect(moved[1].run.output_tail).toBe(`console.log('fork');\n${moved[1].tip}`);
    expect((await ok(['compare', PARENT, f.session_id, '--run', cmd], o)).stdout).toMatch(/exit 0 \(\d+\.\d s, in a checkout\)/);
    // The checkouts are gone, from disk and from git's list; the work trees are as they were.
    expect(worktrees()).toBe(2);
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('parent, not checkpointed');\n");
    expect(readFileSync(join(f.worktree, 'src/extra.js'), 'utf8')).toBe('not checkpointed\n');
  }, 180_000);
});
