import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
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

const doc = (id: string, state = 'active') => parse(readFileSync(join(repo.dir, '04-agents/sessions', state, id, 'session.yaml'), 'utf8'));

const none = { session_id: null, checkpoint_id: null, listed_as: null, context: null, note: null, backup_deferred: false };

beforeEach(() => {
  repo = makeRepo();
  useEnv(repo, { SPECMAP_NOW: '2025-10-25T14:30:00' });
  transcript = join(scratch(), 'conv-1.jsonl');
  writeFileSync(transcript, `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'add login; key AKIAABCDEFGHIJKLMNOP' } })}\n`);
});

describe('agentEvent with Claude Code payloads', () => {
  it('SessionStart starts a session tagged with the conversation, and resumes it the second time', async () => {
    const started = await send({ hook_event_name: 'SessionStart', source: 'startup' });
    expect(started).toEqual({ ...none, action: 'started', session_id: ID, context: expect.stringContaining(`recorded as session ${ID}.`) });
    expect(doc(ID).metadata).toEqual({ agent_session_id: 'conv-1' });
    const resumed = await send({ hook_event_name: 'SessionStart', source: 'resume' });
    expect(resumed).toEqual({ ...none, action: 'resumed', session_id: ID, context: expect.stringContaining(`${ID} (resumed)`) });
  });

  it('a conversation resumed after it ended continues its session from the last checkpoint, not from scratch', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('work.txt', 'done in the first run\n');
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    expect((await send({ hook_event_name: 'SessionEnd', reason: 'exit' })).action).toBe('ended');
    const tip = repo.git('rev-parse', `refs/sessions/${ID}`);

    const resumed = await send({ hook_event_name: 'SessionStart', source: 'resume' });
    const next = '2025-10-25-session-002-claude-session';
    expect(resumed).toEqual({ ...none, action: 'resumed', session_id: next, context: expect.stringContaining(`It continues ${ID}.`) });
    expect(doc(next).metadata).toEqual({ agent_session_id: 'conv-1', continues: ID });
    expect(doc(next).git.base_commit).toBe(tip);
    // Its first checkpoint holds only what changed since the first run's last one, not that work again.
    repo.write('more.txt', 'done after resuming\n');
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    const files = (doc(next).checkpoints[0].files_snapshot as string[]).filter((f) => !f.startsWith('04-agents/'));
    expect(files).toEqual(['more.txt']);
    // A new conversation (startup, another id) still starts afresh.
    const fresh = await agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ ...payload({ hook_event_name: 'SessionStart', source: 'startup' }), session_id: 'conv-9' }, 'claude') });
    expect(fresh.action).toBe('started');
  });

  it('PostToolUse of Write/Edit tracks the file; outside the project or another tool is ignored', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('src/auth.py', 'def login(): pass\n');
    const write = await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'src/auth.py'), content: 'x' }, tool_response: { filePath: join(repo.dir, 'src/auth.py'), success: true } });
    expect(write).toEqual({ ...none, action: 'tracked', session_id: ID, listed_as: 'created' }); // not in HEAD: created
    const edit = await send({ hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: 'src/main.js', old_string: 'a', new_string: 'b' } });
    expect(edit).toEqual({ ...none, action: 'tracked', session_id: ID, listed_as: 'modified' });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/elsewhere/plan.md' } })).toEqual({ ...none, action: 'ignored', session_id: ID });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } })).toEqual({ ...none, action: 'ignored' });
    expect(doc(ID).artifacts).toEqual({ created: ['src/auth.py'], modified: ['src/main.js'] });
  });

  it('Stop stores the redacted transcript in the checkpoint it takes (one transaction); a second Stop changes nothing', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('via-bash.txt', 'hi\n');
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop).toEqual({ ...none, action: 'checkpoint', session_id: ID, checkpoint_id: 'checkpoint-001-14-30-00' });
    const tag = `checkpoints/${ID}/checkpoint-001-14-30-00`;
    const stored = execFileSync('git', ['show', `${tag}:04-agents/sessions/active/${ID}/transcripts/transcript.jsonl`], { cwd: repo.dir, env: repo.env, encoding: 'utf8' });
    expect(stored).toContain('add login; key [REDACTED]');
    // The checkpoint is named after the turn's prompt, taken from the redacted copy.
    expect(doc(ID).checkpoints[0]!.description).toBe('add login; key [REDACTED]');
    expect(execFileSync('git', ['show', `${tag}:via-bash.txt`], { cwd: repo.dir, env: repo.env, encoding: 'utf8' })).toBe('hi\n');
    expect(await send({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ ...none, action: 'unchanged', session_id: ID });
  });

  it('Stop records what the turn did through a shell as artifacts: created, deleted and renamed files', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('keep.txt', 'a file with enough lines to be found again when renamed\n'.repeat(5));
    repo.write('gone.txt', 'gone\n');
    repo.commitAll('two files');
    expect((await send({ hook_event_name: 'Stop', stop_hook_active: false })).action).toBe('checkpoint');
    // The next turn, through Bash: one file made, one removed, one moved.
    repo.write('made.txt', 'made\n');
    rmSync(join(repo.dir, 'gone.txt'));
    execFileSync('mv', ['keep.txt', 'kept.txt'], { cwd: repo.dir });
    process.env.SPECMAP_NOW = '2025-10-25T14:45:00';
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
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.js'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T15:00:00' } });
    const byHand = '2025-10-25-session-002-by-hand';
    const other = await agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ ...payload({ hook_event_name: 'SessionEnd' }), session_id: 'conv-2' }, 'claude') });
    expect(other).toEqual({ ...none, action: 'ignored' });

    const ended = await send({ hook_event_name: 'SessionEnd', reason: 'exit' });
    expect(ended).toEqual({ ...none, action: 'ended', session_id: ID, backup_deferred: true });
    expect(doc(ID, 'archive').session.status).toBe('completed');
    expect(readFileSync(join(repo.dir, '04-agents/sessions/archive', ID, 'transcripts/transcript.jsonl'), 'utf8')).toContain('[REDACTED]');
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
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.js'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:00:00' } });
    const byHand = '2025-10-25-session-001-by-hand';
    const conv = (id: string, body: Partial<ClaudeHookEvent>) => agentEvent({ cwd: repo.dir, event: parseClaudeEvent({ ...payload(body), session_id: id }, 'claude') });
    const one = await conv('conv-1', { hook_event_name: 'SessionStart', source: 'startup' });
    const two = await conv('conv-2', { hook_event_name: 'SessionStart', source: 'startup' });
    expect([one.action, two.action]).toEqual(['started', 'started']);
    expect(new Set([one.session_id, two.session_id, byHand]).size).toBe(3);
    repo.write('a.txt', 'a\n');
    repo.write('b.txt', 'b\n');
    expect((await conv('conv-1', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a.txt' }, tool_response: { type: 'create' } })).session_id).toBe(one.session_id);
    expect((await conv('conv-2', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'b.txt' }, tool_response: { type: 'create' } })).session_id).toBe(two.session_id);
    expect(doc(one.session_id!).artifacts.created).toEqual(['a.txt']);
    expect(doc(two.session_id!).artifacts.created).toEqual(['b.txt']);
    expect(doc(byHand).artifacts.created).toEqual([]);
    // Once the first conversation ends, the second is still recorded in its own session.
    expect((await conv('conv-1', { hook_event_name: 'SessionEnd', reason: 'exit' })).action).toBe('ended');
    repo.write('c.txt', 'c\n');
    expect((await conv('conv-2', { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'c.txt' }, tool_response: { type: 'create' } })).session_id).toBe(two.session_id);
    expect(doc(byHand).session.status).toBe('active');
  });

  it('opens the conversation\'s session at its first change when no SessionStart was seen (hooks installed mid-conversation)', async () => {
    execFileSync(process.execPath, [join(import.meta.dirname, '../../dist/bin/specmap.js'), 'start', 'by hand'], { cwd: repo.dir, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:00:00' } });
    expect(await send({ hook_event_name: 'Stop', stop_hook_active: false })).toEqual({ ...none, action: 'ignored' });
    expect(await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/elsewhere/plan.md' } })).toEqual({ ...none, action: 'ignored' });
    repo.write('src/new.ts', 'export {};\n');
    const write = await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'src/new.ts' }, tool_response: { type: 'create' } });
    expect(write).toEqual({ ...none, action: 'tracked', session_id: '2025-10-25-session-002-claude-session', listed_as: 'created' });
    expect(doc(write.session_id!).metadata).toEqual({ agent_session_id: 'conv-1' });
    expect(doc('2025-10-25-session-001-by-hand').artifacts.created).toEqual([]);
  });

  it('never waits long for a busy repository: past the hook wait the event is queued, and the next command applies it in order', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    // A live specmap (this very process) holds the lock, as a long checkpoint or backup would.
    const lock = join(repo.dir, '.git', 'specmap.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    process.env.SPECMAP_HOOK_LOCK_WAIT_MS = '100';
    repo.write('src/auth.py', 'def login(): pass\n');
    const t0 = Date.now();
    const write = await send({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'src/auth.py') }, tool_response: { type: 'create' } });
    const stop = await send({ hook_event_name: 'Stop', stop_hook_active: false });
    expect(Date.now() - t0).toBeLessThan(5_000); // two events, each waiting 0.1 s, not the 15 s a command waits
    expect(write).toEqual({ ...none, action: 'queued', note: expect.stringContaining('queued') });
    expect(stop.action).toBe('queued');
    expect(doc(ID).checkpoints).toEqual([]);
    expect(readFileSync(join(repo.dir, '.git/specmap/pending-agent-events'), 'utf8').trim().split('\n')).toHaveLength(2);

    rmSync(lock);
    const listed = await listSessions({ cwd: repo.dir });
    expect(listed.sessions.map((s) => s.session_id)).toEqual([ID]);
    // Applied in order: the file is tracked, then the turn's checkpoint holds it.
    expect(doc(ID).artifacts.created).toEqual(['src/auth.py']);
    expect(doc(ID).checkpoints.map((c: { description: string }) => c.description)).toEqual(['add login; key [REDACTED]']);
    expect(existsSync(join(repo.dir, '.git/specmap/pending-agent-events'))).toBe(false);
  });

  it('SessionEnd ends the session first: a transcript that cannot be kept leaves it ended, with a note, not active', async () => {
    await send({ hook_event_name: 'SessionStart', source: 'startup' });
    // A file where the transcripts folder must go: copying the transcript fails.
    writeFileSync(join(repo.dir, '04-agents/sessions/active', ID, 'transcripts'), 'in the way\n');
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
