import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { turnDescription } from '../../src/domain/agent/agent-event.js';
import { agentEvent } from '../../src/api/agent-event.js';
import { listSessions } from '../../src/api/list-sessions.js';
import { parseClaudeEvent, type ClaudeHookEvent } from '../../src/adapters/hooks/claude-code.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { useRepoEnv } from '../support/in-process.js';

/** The test repo's isolated environment for in-process calls, hooks' background work in the foreground. */
const useEnv = (repo: TestRepo, extra: Record<string, string> = {}) => useRepoEnv(repo, { SPECMAP_BACKGROUND: '0', ...extra });

const ID = '2025-10-25-session-001-claude-session';
let repo: TestRepo;
let transcript: string;

/** A payload as Claude Code's hooks reference documents it (common fields plus the event's own). */
function payload(body: Partial<ClaudeHookEvent>): ClaudeHookEvent {
  return { session_id: 'conv-1', transcript_path: transcript, cwd: repo.dir, ...body };
}

const send = (body: Partial<ClaudeHookEvent>, cwd = repo.dir) => agentEvent({ cwd, event: parseClaudeEvent(payload(body), 'claude') });
/** A turn begins (UserPromptSubmit): the baseline its checkpoint is counted from. */
const prompt = (text = 'next step', conversation = 'conv-1') => agentEvent({ cwd: repo.dir, event: { kind: 'turn-start', conversation, agent: 'claude', prompt: text } });
/** The agent is about to run `command` in its shell (PreToolUse of Bash). */
const shell = (command: string) => agentEvent({ cwd: repo.dir, event: { kind: 'before-shell', conversation: 'conv-1', agent: 'claude', command } });
/** Appends a user prompt to the transcript, as Claude Code does when the user sends one. */
const say = (text: string) => writeFileSync(transcript, `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`, { flag: 'a' });
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
const treeFiles = (rev: string) => git('ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean);
const write = (file: string, type: 'create' | 'update' = 'create') =>
  send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, file) }, tool_response: { type } });

const doc = (id: string, state = 'active') => parse(readFileSync(join(repo.dir, '04-agents/sessions', state, id, 'session.yaml'), 'utf8'));

const none = { session_id: null, checkpoint_id: null, listed_as: null, context: null, note: null, backup_deferred: false };

beforeEach(() => {
  repo = makeRepo();
  useEnv(repo, { SPECMAP_NOW: '2025-10-25T14:30:00' });
  // Where Claude Code keeps it (under the test's HOME): specmap reads transcripts only from the agents' folders.
  mkdirSync(join(repo.home, '.claude/projects/-repo'), { recursive: true });
  transcript = join(repo.home, '.claude/projects/-repo/conv-1.jsonl');
  writeFileSync(transcript, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'add login; key AKIAABCDEFGHIJKLMNOP' } })}\n`);
});

describe('agentEvent with Claude Code payloads', () => {
  it('SessionStart takes the baseline and opens no session; the conversation\'s session opens at its first change, and is resumed later', async () => {
    const started = await send({ hook_event_name: 'SessionStart', source: 'startup' });
    expect(started).toEqual({ ...none, action: 'baseline', context: expect.stringContaining('its session opens at its first change') });
    expect(existsSync(join(repo.dir, '04-agents/sessions/active', ID))).toBe(false);
    // A turn that changes nothing leaves nothing behind.
    expect(await send({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ ...none, action: 'unchanged' });
    expect(git('for-each-ref', 'refs/sessions/')).toBe('');

    repo.write('src/auth.py', 'def login(): pass\n');
    expect(await write('src/auth.py')).toEqual({ ...none, action: 'tracked', session_id: ID, listed_as: 'created' });
    expect(doc(ID).metadata).toEqual({ agent_session_id: 'conv-1' });
    const resumed = await send({ hook_event_name: 'SessionStart', source: 'resume' });
    expect(resumed).toEqual({ ...none, action: 'resumed', session_id: ID, context: expect.stringContaining(`${ID} (resumed)`) });
  });

  it('a turn\'s checkpoint holds what the turn changed, never files that were lying untracked before it (defect 2)', async () => {
    repo.write('notes/private.md', 'my own notes, not for the team\n');
    repo.write('scratch.sql', 'select 1;\n');
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt();
    repo.write('src/auth.py', 'def login(): pass\n');
    await write('src/auth.py');
    repo.write('build/out.txt', 'made by a shell command\n');
    repo.write('src/main.js', "console.log('changed');\n");
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop).toEqual({ ...none, action: 'checkpoint', session_id: ID, checkpoint_id: 'checkpoint-001-14-30-00' });
    const files = treeFiles(`refs/sessions/${ID}`);
    expect(files).toEqual(expect.arrayContaining(['src/auth.py', 'build/out.txt', 'src/main.js', 'README.md']));
    expect(files).not.toContain('notes/private.md');
    expect(files).not.toContain('scratch.sql');
    // Every artifact from the first checkpoint on: the turn's diff holds only the turn.
    const a = doc(ID).artifacts;
    expect(a.created).toEqual(expect.arrayContaining(['src/auth.py', 'build/out.txt']));
    expect(a.modified).toEqual(['src/main.js']);
    expect(JSON.stringify(a)).not.toMatch(/private|scratch|04-agents/);

    // Restoring the turn's checkpoint in place never deletes what no checkpoint held, nor sweeps it into the safety one.
    const { restoreCheckpoint } = await import('../../src/api/restore-checkpoint.js');
    repo.write('src/auth.py', 'broken\n');
    const restored = await restoreCheckpoint({ cwd: repo.dir, session: ID, checkpoint: 'checkpoint-001', inPlace: true });
    expect(readFileSync(join(repo.dir, 'src/auth.py'), 'utf8')).toBe('def login(): pass\n');
    expect(readFileSync(join(repo.dir, 'notes/private.md'), 'utf8')).toBe('my own notes, not for the team\n');
    expect(existsSync(join(repo.dir, 'scratch.sql'))).toBe(true);
    expect(JSON.stringify(restored)).not.toMatch(/private\.md|scratch\.sql/);
    expect(treeFiles(`refs/sessions/${ID}`)).not.toContain('notes/private.md');

    // A file the user drops in between turns is not the next turn's either.
    repo.write('notes/later.md', 'mine too\n');
    await prompt();
    repo.write('src/auth.py', 'def login(): return True\n');
    process.env.SPECMAP_NOW = '2025-10-25T14:40:00';
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    expect(git('diff-tree', '-r', '--name-only', '--no-commit-id', `refs/sessions/${ID}`).trim().split('\n')).toEqual(['src/auth.py']);
  });

  it.each([
    ['a file outside every agent folder (an /etc/shadow of the test)', () => { const f = join(scratch(), 'shadow'); writeFileSync(f, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'root:secret-hash' } })}\n`); return f; }],
    ['a link inside ~/.claude/projects pointing out of it', () => {
      const f = join(scratch(), 'shadow');
      writeFileSync(f, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'root:secret-hash' } })}\n`);
      const link = join(repo.home, '.claude/projects/-repo/evil.jsonl');
      symlinkSync(f, link);
      return link;
    }],
    ['a path climbing out with ..', () => { const f = join(scratch(), 'shadow'); writeFileSync(f, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'root:secret-hash' } })}\n`); return `${repo.home}/.claude/projects/${relative(join(repo.home, '.claude/projects'), f)}`; }],
  ])('never reads a transcript_path that is %s: the turn is checkpointed, the file refused with a note', async (_what, make) => {
    transcript = make();
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt('the prompt');
    repo.write('a.txt', 'a\n');
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop.action).toBe('checkpoint');
    expect(stop.note).toMatch(/^specmap: transcript .* not read: outside the agents' transcript folders/);
    expect(git('for-each-ref', 'refs/specmap/transcripts/')).toBe('');
    expect(doc(ID).checkpoints[0]!.description).not.toContain('secret');
    const end = await send({ hook_event_name: 'SessionEnd', reason: 'exit' });
    expect(end.action).toBe('ended');
    expect(end.note).toMatch(/its transcript was not kept: transcript .* not read/);
    expect(git('for-each-ref', 'refs/specmap/transcripts/')).toBe('');
  });

  it('reads a transcript under $CLAUDE_CONFIG_DIR/projects', async () => {
    const config = scratch();
    mkdirSync(join(config, 'projects/-repo'), { recursive: true });
    transcript = join(config, 'projects/-repo/conv-1.jsonl');
    say('from the config dir');
    process.env.CLAUDE_CONFIG_DIR = config;
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt();
    repo.write('a.txt', 'a\n');
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop).toMatchObject({ action: 'checkpoint', note: null });
    expect(git('show', `refs/specmap/transcripts/${ID}:turn.jsonl`)).toContain('from the config dir');
  });

  it('keeps the transcript out of the project tree: one commit per turn holding its new lines, redacted and linked to its checkpoint (defect 4)', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt();
    repo.write('via-bash.txt', 'hi\n');
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop.action).toBe('checkpoint');
    // Named after the turn's prompt, from the redacted lines.
    expect(doc(ID).checkpoints[0]!.description).toBe('add login; key [REDACTED]');
    expect(existsSync(join(repo.dir, '04-agents/sessions/active', ID, 'transcripts'))).toBe(false);
    expect(treeFiles(`refs/sessions/${ID}`).filter((f) => f.includes('transcript'))).toEqual([]);
    const ref = `refs/specmap/transcripts/${ID}`;
    expect(git('log', '-1', '--format=%B', ref)).toContain('Checkpoint: checkpoint-001-14-30-00');
    const first = git('show', `${ref}:turn.jsonl`);
    expect(first).toContain('add login; key [REDACTED]');
    expect(first).not.toContain('AKIA');

    // A turn that changes nothing takes no checkpoint, but its lines are kept — only the new ones.
    say('what does login do?\nand with a "quote"');
    await prompt();
    expect(await send({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ ...none, action: 'unchanged', session_id: ID });
    expect(doc(ID).checkpoints).toHaveLength(1);
    const second = git('show', `${ref}:turn.jsonl`);
    expect(second.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(second).message.content).toBe('what does login do?\nand with a "quote"');
    expect(git('log', '-1', '--format=%B', ref)).not.toContain('Checkpoint:');
    expect(git('rev-list', '--count', ref).trim()).toBe('2');

    // The session ZIP carries the whole transcript.
    expect((await send({ hook_event_name: 'SessionEnd', reason: 'exit' })).action).toBe('ended');
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.cjs'), 'complete-backups'], { cwd: repo.dir, env: repo.env });
    const zip = join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`);
    const inZip = execFileSync('unzip', ['-p', zip, 'transcripts/transcript.jsonl'], { encoding: 'utf8' });
    expect(inZip.trim().split('\n').map((l) => JSON.parse(l).message.content)).toEqual(['add login; key [REDACTED]', 'what does login do?\nand with a "quote"']);
  });

  it('a transcript that cannot be kept never stops the turn\'s checkpoint', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('a.txt', 'a\n');
    await write('a.txt');
    // The transcript chain's ref points at a blob: reading where it left off fails.
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, env: repo.env, input: 'not a commit' }).toString().trim();
    git('update-ref', `refs/specmap/transcripts/${ID}`, blob);
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop).toMatchObject({ action: 'checkpoint', session_id: ID, note: expect.stringContaining("the turn's transcript was not kept") });
    expect(treeFiles(`refs/sessions/${ID}`)).toContain('a.txt');
  });

  it('takes a safety checkpoint before a destructive shell command, and only then (defect 8)', async () => {
    repo.write('notes/mine.md', 'lying untracked, never shared\n');
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt();
    expect((await shell('rm -rf src')).action).toBe('unchanged'); // nothing of the conversation's to protect yet
    repo.write('src/auth.py', 'def login(): pass\n');
    await write('src/auth.py');
    expect(await shell('ls -la && npm test')).toEqual({ ...none, action: 'ignored' });
    const safety = await shell('cd src && rm -rf *.py');
    expect(safety).toEqual({ ...none, action: 'checkpoint', session_id: ID, checkpoint_id: 'checkpoint-001-14-30-00' });
    expect(doc(ID).checkpoints[0]!.description).toBe('safety checkpoint before: cd src && rm -rf *.py');
    expect(git('show', `refs/sessions/${ID}:src/auth.py`)).toBe('def login(): pass\n');
    // The untracked file stays out of the checkpoint, but a local snapshot keeps it should `git clean` follow.
    expect(treeFiles(`refs/sessions/${ID}`)).not.toContain('notes/mine.md');
    expect(git('show', `refs/specmap/safety/${ID}/checkpoint-001-14-30-00:notes/mine.md`)).toBe('lying untracked, never shared\n');
    rmSync(join(repo.dir, 'src/auth.py'));
    process.env.SPECMAP_NOW = '2025-10-25T14:31:00';
    // The turn's checkpoint records the deletion the command made after the safety checkpoint.
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    expect(treeFiles(`refs/sessions/${ID}`)).not.toContain('src/auth.py');
    expect(doc(ID).artifacts.deleted).toContain('src/auth.py');
  });

  it('a conversation resumed after it ended continues its session from the last checkpoint, at its first change', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('work.txt', 'done in the first run\n');
    await write('work.txt');
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    expect((await send({ hook_event_name: 'SessionEnd', reason: 'exit' })).action).toBe('ended');
    const tip = repo.git('rev-parse', `refs/sessions/${ID}`);

    expect((await send({ hook_event_name: 'SessionStart', source: 'resume' })).action).toBe('baseline');
    const next = '2025-10-25-session-002-claude-session';
    repo.write('more.txt', 'done after resuming\n');
    expect(await write('more.txt')).toMatchObject({ action: 'tracked', session_id: next });
    expect(doc(next).metadata).toEqual({ agent_session_id: 'conv-1', continues: ID });
    expect(doc(next).git.base_commit).toBe(tip);
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    const files = (doc(next).checkpoints[0].files_snapshot as string[]).filter((f) => !f.startsWith('04-agents/'));
    expect(files).toEqual(['more.txt']);
  });

  it('PostToolUse of Write/Edit tracks the file; outside the project or another tool is ignored', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('src/auth.py', 'def login(): pass\n');
    const w = await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'src/auth.py'), content: 'x' }, tool_response: { filePath: join(repo.dir, 'src/auth.py'), success: true } });
    expect(w).toEqual({ ...none, action: 'tracked', session_id: ID, listed_as: 'created' }); // not in HEAD: created
    const edit = await send({ hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: 'src/main.js', old_string: 'a', new_string: 'b' } });
    expect(edit).toEqual({ ...none, action: 'tracked', session_id: ID, listed_as: 'modified' });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/elsewhere/plan.md' } })).toEqual({ ...none, action: 'ignored', session_id: ID });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } })).toEqual({ ...none, action: 'ignored' });
    expect(doc(ID).artifacts).toEqual({ created: ['src/auth.py'], modified: ['src/main.js'] });
  });

  it('Stop records what the turn did through a shell as artifacts: created, deleted and renamed files', async () => {
    repo.write('keep.txt', 'a file with enough lines to be found again when renamed\n'.repeat(5));
    repo.write('gone.txt', 'gone\n');
    repo.commitAll('two files');
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    await prompt();
    repo.write('made.txt', 'made\n');
    rmSync(join(repo.dir, 'gone.txt'));
    execFileSync('mv', ['keep.txt', 'kept.txt'], { cwd: repo.dir });
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    const a = doc(ID).artifacts;
    expect(a.created).toContain('made.txt');
    expect(a.deleted).toContain('gone.txt');
    expect(a.renamed).toContainEqual({ from: 'keep.txt', to: 'kept.txt' });
    expect(JSON.stringify(a)).not.toMatch(/04-agents/);
  });

  it('Stop does nothing when the config turns checkpoints off', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('04-agents/config.yaml', 'agent_hooks:\n  checkpoint_on_stop: false\n');
    repo.write('x.txt', 'x\n');
    expect(await send({ hook_event_name: 'Stop' })).toEqual({ ...none, action: 'ignored' });
  });

  it('SessionEnd ends only the conversation\'s own session, with the ZIP deferred', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('a.txt', 'a\n');
    await write('a.txt');
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.cjs'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T15:00:00' } });
    const byHand = '2025-10-25-session-002-by-hand';
    const other = await agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ ...payload({ hook_event_name: 'SessionEnd' }), session_id: 'conv-2' }, 'claude') });
    expect(other).toEqual({ ...none, action: 'ignored' });

    const ended = await send({ hook_event_name: 'SessionEnd', reason: 'exit' });
    expect(ended).toEqual({ ...none, action: 'ended', session_id: ID, backup_deferred: true });
    expect(doc(ID, 'archive').session.status).toBe('completed');
    expect(git('show', `refs/specmap/transcripts/${ID}:turn.jsonl`)).toContain('[REDACTED]');
    expect(git('for-each-ref', 'refs/specmap/turns/')).toBe(''); // the baseline went with the conversation
    expect(doc(byHand).session.status).toBe('active');
    expect(existsSync(join(repo.dir, `04-agents/backups/sessions/${ID}-backup.zip`))).toBe(false); // owed, not written
  });

  it('never throws: no session id, outside a repository', async () => {
    expect(await agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ hook_event_name: 'Stop' }, 'claude') }))
      .toEqual({ ...none, action: 'ignored', note: 'specmap: hook event without session_id; ignored' });
    const elsewhere = scratch();
    const r = await send({ hook_event_name: 'SessionStart', cwd: elsewhere }, elsewhere);
    expect(r.action).toBe('failed');
    expect(r.note).toMatch(/^specmap: session-start: .*not a git repository/);
  });

  it('keeps one session per conversation: a second conversation gets its own, and a session started by hand is never adopted', async () => {
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.cjs'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:00:00' } });
    const byHand = '2025-10-25-session-001-by-hand';
    const conv = (id: string, body: Partial<ClaudeHookEvent>) => agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ ...payload(body), session_id: id }, 'claude') });
    await conv('conv-1', { hook_event_name: 'SessionStart', source: 'startup' });
    await conv('conv-2', { hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('a.txt', 'a\n');
    repo.write('b.txt', 'b\n');
    const one = await conv('conv-1', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a.txt' }, tool_response: { type: 'create' } });
    const two = await conv('conv-2', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'b.txt' }, tool_response: { type: 'create' } });
    expect(new Set([one.session_id, two.session_id, byHand]).size).toBe(3);
    expect(doc(one.session_id!).artifacts.created).toEqual(['a.txt']);
    expect(doc(two.session_id!).artifacts.created).toEqual(['b.txt']);
    expect(doc(byHand).artifacts.created).toEqual([]);
    // Once the first conversation ends, the second is still recorded in its own session.
    expect((await conv('conv-1', { hook_event_name: 'SessionEnd', reason: 'exit' })).action).toBe('ended');
    repo.write('c.txt', 'c\n');
    expect((await conv('conv-2', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'c.txt' }, tool_response: { type: 'create' } })).session_id).toBe(two.session_id);
    expect(doc(byHand).session.status).toBe('active');
  });

  it('hooks installed mid-conversation (no baseline, no SessionStart): the first change opens the session, whose Stop checkpoints every change', async () => {
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.cjs'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:00:00' } });
    expect(await send({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ ...none, action: 'unchanged' });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/elsewhere/plan.md' } })).toEqual({ ...none, action: 'ignored' });
    repo.write('src/new.ts', 'export {};\n');
    const w = await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'src/new.ts' }, tool_response: { type: 'create' } });
    expect(w).toEqual({ ...none, action: 'tracked', session_id: '2025-10-25-session-002-claude-session', listed_as: 'created' });
    expect(doc(w.session_id!).metadata).toEqual({ agent_session_id: 'conv-1' });
    expect(doc('2025-10-25-session-001-by-hand').artifacts.created).toEqual([]);
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    expect(treeFiles(`refs/sessions/${w.session_id}`)).toContain('src/new.ts');
  });

  it('never waits long for a busy repository: past the hook wait the event is queued, and the next command applies it in order', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    // A live specmap (this very process) holds the lock, as a long checkpoint or backup would.
    const lock = join(repo.dir, '.git', 'specmap.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    process.env.SPECMAP_HOOK_LOCK_WAIT_MS = '100';
    repo.write('src/auth.py', 'def login(): pass\n');
    const t0 = Date.now();
    // A baseline is about this moment: it is skipped, never applied later.
    expect(await prompt()).toEqual({ ...none, action: 'ignored', note: expect.stringContaining('no turn baseline this time') });
    const w = await write('src/auth.py');
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(Date.now() - t0).toBeLessThan(15_000); // three events, each waiting 0.1 s, where one command alone would wait 15 s
    expect(w).toEqual({ ...none, action: 'queued', note: expect.stringContaining('queued') });
    expect(stop.action).toBe('queued');
    expect(readFileSync(join(repo.dir, '.git/specmap/pending-agent-events'), 'utf8').trim().split('\n')).toHaveLength(2);

    rmSync(lock);
    const listed = await listSessions({ cwd: repo.dir });
    expect(listed.sessions.map((s) => s.session_id)).toEqual([ID]);
    // Applied in order: the file is tracked (opening the session), then the turn's checkpoint holds it.
    expect(doc(ID).artifacts.created).toEqual(['src/auth.py']);
    expect(doc(ID).checkpoints.map((c: { description: string }) => c.description)).toEqual(['add login; key [REDACTED]']);
    expect(existsSync(join(repo.dir, '.git/specmap/pending-agent-events'))).toBe(false);
  });

  it('SessionEnd ends the session first: a transcript that cannot be kept leaves it ended, with a note, not active', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('a.txt', 'a\n');
    await write('a.txt');
    // A ref in the way of the transcript's: storing it fails.
    repo.git('update-ref', `refs/specmap/transcripts/${ID}/in-the-way`, 'HEAD');
    const ended = await send({ hook_event_name: 'SessionEnd', reason: 'exit' });
    expect(ended).toMatchObject({ action: 'ended', session_id: ID, backup_deferred: true, note: expect.stringContaining('transcript was not kept') });
    expect(doc(ID, 'archive').session.status).toBe('completed');
  });

  it('names a turn checkpoint after its prompt: one line, cut at a word near 72 characters', () => {
    expect(turnDescription('fix the\n  login   bug', 'claude')).toBe('fix the login bug');
    const long = 'refactor the session store so that every lookup goes through the one resolver and nothing else';
    const d = turnDescription(long, 'claude');
    expect(d.length).toBeLessThanOrEqual(72);
    expect(d).toBe('refactor the session store so that every lookup goes through the one…');
    expect(turnDescription(undefined, 'codex')).toBe('codex turn ended');
    expect(turnDescription('   ', 'claude')).toBe('claude turn ended');
  });
});

describe('an explicit start meets the hooks', () => {
  it('start with the conversation id names and focuses the session the hooks opened, or starts the one they then record into', async () => {
    const { start } = await import('../../src/api/start.js');
    const started = await send({ hook_event_name: 'SessionStart', source: 'startup' });
    // The agent is told how to start it by hand with its conversation id.
    expect(started.context).toContain('specmap start "<focus>" claude --meta agent_session_id=conv-1');
    repo.write('a.txt', 'a\n');
    await write('a.txt');
    const named = await start({ cwd: repo.dir, focus: 'login form', metadata: { agent_session_id: 'conv-1' } });
    expect(named).toMatchObject({ session_id: ID, focus: 'login form', existing: true });
    expect(doc(ID).session.focus).toBe('login form');
    expect(doc(ID).artifacts.created).toEqual(['a.txt']);

    // Another conversation starts explicitly before any change: its session is the one the hooks use.
    const other = await start({ cwd: repo.dir, focus: 'billing', metadata: { agent_session_id: 'conv-2' } });
    expect(other).toMatchObject({ session_id: '2025-10-25-session-002-billing', existing: false });
    repo.write('b.txt', 'b\n');
    const w = await agentEvent({ cwd: repo.dir, event: { kind: 'file-written', conversation: 'conv-2', agent: 'claude', file: join(repo.dir, 'b.txt'), action: 'created' } });
    expect(w.session_id).toBe('2025-10-25-session-002-billing');
    expect((await listSessions({ cwd: repo.dir })).sessions).toHaveLength(2);
  });
});
