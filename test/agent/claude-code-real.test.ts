// The real Claude Code binary (the dev dependency @anthropic-ai/claude-code) with specmap loaded as a plugin from
// this repository (--plugin-dir: .claude-plugin/, hooks/hooks.json, skills/, bin/, all firing the built dist/),
// against a scripted Messages API on 127.0.0.1. CAPTURE_CLAUDE_FIXTURES=1 rewrites test/fixtures/claude/real-*.json
// from the hook payloads seen here.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listZip } from '../../src/storage/zip/reader.js';
import { runClaude } from '../support/claude-bin.js';
import { ok } from '../support/cli.js';
import { marker, startFakeAnthropic, type FakeAnthropic, type Scripts } from '../support/fake-anthropic.js';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test/fixtures/claude');
const MCP_TOOL = 'mcp__plugin_specmap_specmap__session_start';
const RUN_MS = 90_000;

/** A hook (added with --settings, beside the plugin's) that stores every payload it gets: the debug capture. */
const CAPTURE = `import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
const dir = process.argv[2];
const text = readFileSync(0, 'utf8');
writeFileSync(dir + '/' + String(readdirSync(dir).length).padStart(3, '0') + '.json', text);
`;

interface Run {
  repo: TestRepo;
  env: NodeJS.ProcessEnv;
  settings: string;
  captured: string;
}

/** A repository, a HOME and temp folder of its own, and an environment that points Claude Code at `fake` only. */
function setUp(fake: FakeAnthropic, extraHooks: Record<string, unknown[]> = {}): Run {
  const repo = makeRepo();
  const base = scratch('specmap-claude-');
  const captured = join(base, 'captured');
  const tmp = join(base, 'tmp');
  mkdirSync(captured);
  mkdirSync(tmp);
  writeFileSync(join(base, 'capture.mjs'), CAPTURE);
  const capture = { hooks: [{ type: 'command', command: `node ${join(base, 'capture.mjs')} ${captured}` }] };
  const hooks: Record<string, unknown[]> = {};
  for (const event of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'SubagentStart', 'SubagentStop', 'Stop', 'SessionEnd']) {
    hooks[event] = [event.endsWith('ToolUse') ? { matcher: '*', ...capture } : capture, ...(extraHooks[event] ?? [])];
  }
  const settings = join(base, 'settings.json');
  writeFileSync(settings, JSON.stringify({ hooks }));
  const env: NodeJS.ProcessEnv = { ...repo.env };
  // Nothing of a Claude Code session the tests may run in (CLAUDE_PROJECT_DIR, CLAUDECODE …) or of the user's API setup.
  for (const k of Object.keys(env)) if (/^(ANTHROPIC_|CLAUDE|MCP_|OTEL_)/.test(k)) delete env[k];
  Object.assign(env, {
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_TMPDIR: tmp,
    TMPDIR: tmp,
  });
  // As root, Claude Code refuses --dangerously-skip-permissions unless it is told it runs in a sandbox.
  if (process.getuid?.() === 0) env.IS_SANDBOX = '1';
  return { repo, env, settings, captured };
}

async function claude(run: Run, args: string[]) {
  const r = await runClaude([...args, '--plugin-dir', ROOT, '--settings', run.settings, '--dangerously-skip-permissions', '--output-format', 'json'], { cwd: run.repo.dir, env: run.env, timeoutMs: RUN_MS });
  if (r.code !== 0) throw new Error(`claude ${args.join(' ')} exited ${r.code} after ${r.ms} ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as { session_id: string; result: string; is_error: boolean };
}

const payloads = (run: Run) => readdirSync(run.captured).sort().map((f) => JSON.parse(readFileSync(join(run.captured, f), 'utf8')) as Record<string, unknown>);

const sessionsOf = async (run: Run) =>
  JSON.parse((await ok(['list', '--all', '--json'], { cwd: run.repo.dir, env: run.repo.env })).stdout).sessions as { session_id: string; status: string }[];
const documentOf = async (run: Run, id: string) =>
  JSON.parse((await ok(['show', id, '--json'], { cwd: run.repo.dir, env: run.repo.env })).stdout).document;

/** The payloads as fixtures: one per event (and tool or source), temp paths and run-specific ids replaced. */
function writeFixtures(seen: { run: Run; payload: Record<string, unknown> }[]): void {
  mkdirSync(FIXTURES, { recursive: true });
  const named = new Map<string, { run: Run; payload: Record<string, unknown> }>();
  for (const s of seen) {
    const p = s.payload;
    const tool = typeof p.tool_name === 'string' ? (p.tool_name.startsWith('mcp__') ? 'mcp' : p.tool_name) : undefined;
    const what = [p.hook_event_name, tool ?? (typeof p.source === 'string' ? p.source : undefined), p.agent_id ? 'subagent' : undefined].filter(Boolean).join('-');
    if (!named.has(what)) named.set(what, s);
  }
  for (const [what, { run, payload }] of named) {
    const text = JSON.stringify(payload, null, 2)
      .replaceAll(run.repo.dir, '/repo').replaceAll(run.repo.home, '/home/user').replaceAll(dirname(run.captured), '/tmp/run')
      .replaceAll(run.repo.dir.replace(/[^a-zA-Z0-9]/g, '-'), '-repo')
      .replaceAll(String(payload.session_id), '00000000-0000-4000-8000-000000000000')
      .replace(/("prompt_id": )"[^"]+"/g, '$1"11111111-1111-4111-8111-111111111111"')
      .replace(/("agent_?[iI]d": "|\/agent-|tasks\/)[0-9a-f]{17}/g, (m) => m.replace(/[0-9a-f]{17}$/, 'a0000000000000000'))
      .replace(/("(?:duration_ms|seconds_since_last_response|context_tokens)": )\d+/g, '$10')
      .replace(/("estimated_cache_write_usd": )[\d.e-]+/g, '$10');
    writeFileSync(join(FIXTURES, `real-${what}.json`), `${text}\n`);
  }
}

describe('the real Claude Code binary with the specmap plugin', () => {
  let fake: FakeAnthropic;
  const seen: { run: Run; payload: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    fake = await startFakeAnthropic({});
  });
  afterAll(async () => {
    await fake?.close();
    if (process.env.CAPTURE_CLAUDE_FIXTURES === '1') writeFixtures(seen);
  });

  it('records a conversation: one session per conversation, its files, a checkpoint named after the prompt, the archive and ZIP at exit; a resume continues it', { timeout: 240_000 }, async () => {
    const run = setUp(fake);
    const { repo } = run;
    const at = (rel: string) => join(repo.dir, rel);
    const scripts: Scripts = {
      first: [
        { tools: [{ name: 'Write', input: { file_path: at('src/auth.py'), content: 'def login():\n    pass\n' } }, { name: 'Read', input: { file_path: at('README.md') } }] },
        { tools: [{ name: 'Edit', input: { file_path: at('README.md'), old_string: '# test project', new_string: '# test project, with login' } }, { name: 'Bash', input: { command: 'specmap list --json > via-bash.json', description: 'List the sessions' } }] },
        // In the foreground, so the turn's one Stop comes after the subagent's work (a background agent's result
        // arrives as a second prompt with a Stop of its own).
        { tools: [{ name: 'Agent', input: { description: 'Write the notes', prompt: `Write the notes ${marker('notes')}`, subagent_type: 'general-purpose', run_in_background: false } }] },
        { text: 'Login module added.' },
      ],
      notes: [{ tools: [{ name: 'Write', input: { file_path: at('docs/notes.md'), content: '# Notes\n' } }] }, { text: 'Notes written.' }],
      second: [
        { tools: [{ name: 'Write', input: { file_path: at('src/logout.py'), content: 'def logout():\n    pass\n' } }] },
        // A destructive command: the plugin's PreToolUse filter starts specmap, which takes a safety checkpoint first.
        { tools: [{ name: 'Bash', input: { command: 'rm -f src/auth.py', description: 'Remove the old module' } }] },
        { text: 'Logout added.' },
      ],
    };
    Object.assign(fake.scripts, scripts);
    const head = repo.git('rev-parse', 'HEAD');
    const conversation = randomUUID();
    const prompt = `Add a login module ${marker('first')}`;

    const out = await claude(run, ['-p', prompt, '--session-id', conversation]);
    expect(out).toMatchObject({ session_id: conversation, result: 'Login module added.', is_error: false });
    // The scripted replies were served in order, the subagent's inside the main conversation's third step.
    expect(fake.requests.filter((r) => r.served).map((r) => `${r.served!.script}:${r.served!.step}`)).toEqual(['first:0', 'first:1', 'first:2', 'notes:0', 'notes:1', 'first:3']);
    expect(fake.requests.every((r) => r.method === 'POST' && r.path.startsWith('/v1/messages'))).toBe(true);

    const [first, ...others] = await sessionsOf(run);
    expect(others).toEqual([]);
    expect(first!.status).toBe('completed'); // SessionEnd at the end of -p
    const id = first!.session_id;
    const doc = await documentOf(run, id);
    expect(doc.metadata).toEqual({ agent_session_id: conversation });
    expect(doc.artifacts.created).toEqual(['src/auth.py', 'docs/notes.md', 'via-bash.json']); // the subagent's Write, and the file Bash made
    expect(doc.artifacts.modified).toEqual(['README.md']);
    expect(doc.checkpoints).toHaveLength(1);
    const [cp] = doc.checkpoints;
    expect(cp.description).toBe(prompt);
    expect(cp.files_snapshot).toEqual(expect.arrayContaining(['src/auth.py', 'docs/notes.md', 'README.md', 'via-bash.json']));
    // The Bash tool found `specmap` on its PATH (the plugin's bin/) while the session was active.
    const listed = JSON.parse(readFileSync(at('via-bash.json'), 'utf8'));
    expect(listed.sessions).toMatchObject([{ session_id: id, status: 'active' }]);

    expect(repo.git('rev-parse', `refs/sessions/${id}`)).toBe(cp.commit);
    expect(repo.git('log', '-1', '--format=%s', cp.commit)).toBe(prompt);
    expect(repo.git('rev-parse', `refs/tags/checkpoints/${id}/${cp.id}^{commit}`)).toBe(cp.commit);
    expect(repo.git('show', `${cp.commit}:src/auth.py`)).toBe('def login():\n    pass');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head); // the user's branch is never moved

    // Archived at exit; the ZIP is written by a detached process or, failing that, by the next specmap command.
    await ok(['complete-backups'], { cwd: repo.dir, env: repo.env });
    const zip = await listZip(at(`04-agents/backups/sessions/${id}-backup.zip`));
    expect(zip.map((e) => e.name)).toEqual(expect.arrayContaining(['session.yaml', 'transcripts/transcript.jsonl', `snapshots/${cp.id}/src/auth.py`]));

    // --resume of the ended conversation: a new session that says which one it continues.
    const again = await claude(run, ['-p', `Add logout ${marker('second')}`, '--resume', conversation]);
    expect(again).toMatchObject({ session_id: conversation, result: 'Logout added.' });
    const all = await sessionsOf(run);
    expect(all.map((s) => s.status)).toEqual(['completed', 'completed']);
    const next = await documentOf(run, all.find((s) => s.session_id !== id)!.session_id);
    expect(next.metadata).toEqual({ agent_session_id: conversation, continues: id });
    expect(next.artifacts.created).toEqual(['src/logout.py']);
    expect(next.artifacts.deleted).toEqual(['src/auth.py']);
    expect(next.checkpoints.map((c: { description: string }) => c.description)).toEqual(['safety checkpoint before: rm -f src/auth.py', `Add logout ${marker('second')}`]);
    const [safety, turn] = next.checkpoints as { commit: string }[];
    expect(repo.git('show', `${safety!.commit}:src/auth.py`)).toBe('def login():\n    pass');
    expect(repo.git('ls-tree', '--name-only', `${turn!.commit}`, 'src/').split('\n')).toEqual(['src/logout.py', 'src/main.js']);

    // The transcript stayed out of the project tree: one commit per turn on the session's transcript chain.
    expect(existsSync(at(`04-agents/sessions/archive/${id}/transcripts`))).toBe(false);
    expect(repo.git('log', '--format=%s', `refs/specmap/transcripts/${id}`)).toContain(`specmap transcript: ${id} ${cp.id}`);
    expect(repo.git('show', `refs/specmap/transcripts/${id}~0:turn.jsonl`)).toContain(prompt);

    // The payloads carry what src/domain/agent/payloads/claude.ts reads.
    const got = payloads(run);
    seen.push(...got.map((payload) => ({ run, payload })));
    expect(got.map((p) => p.session_id).every((s) => s === conversation)).toBe(true);
    const event = (name: string, tool?: string) => got.find((p) => p.hook_event_name === name && (!tool || p.tool_name === tool));
    expect(got.filter((p) => p.hook_event_name === 'SessionStart').map((p) => p.source)).toEqual(['startup', 'resume']);
    expect(event('PostToolUse', 'Write')).toMatchObject({ cwd: repo.dir, tool_input: { file_path: at('src/auth.py') }, tool_response: { type: 'create' } });
    expect(event('PostToolUse', 'Edit')).toMatchObject({ tool_input: { file_path: at('README.md') } });
    expect(event('Stop')).toMatchObject({ transcript_path: expect.stringMatching(/\.jsonl$/), stop_hook_active: false });
    expect(event('SessionEnd')).toMatchObject({ reason: expect.any(String), transcript_path: expect.any(String) });
    expect(event('UserPromptSubmit')).toMatchObject({ prompt });
  });

  it('passes `claude plugin validate`, and its MCP server connects', { timeout: 120_000 }, async () => {
    const run = setUp(fake);
    const validate = await runClaude(['plugin', 'validate', ROOT], { cwd: run.repo.dir, env: run.env, timeoutMs: RUN_MS });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toContain('Validation passed');
    expect(validate.stdout).toMatch(/mcpServers: specmap stdio node/);
    expect(validate.stdout).toContain('skills: specmap:specmap-session-manager');
    const list = await runClaude(['--plugin-dir', ROOT, 'mcp', 'list'], { cwd: run.repo.dir, env: run.env, timeoutMs: RUN_MS });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/plugin:specmap:specmap: node \S+\/dist\/bin\/specmap\.cjs mcp - ✔ Connected/);
  });

  it("meets the model's own session_start: the conversation's session, opened at its first change, is named and focused, never a second one", { timeout: 120_000 }, async () => {
    const run = setUp(fake);
    Object.assign(fake.scripts, {
      mcp: [
        { tools: [{ name: 'Write', input: { file_path: join(run.repo.dir, 'early.txt'), content: 'written before the start' } }] },
        // Claude Code defers MCP tools: ToolSearch loads the schema first, as a model would.
        { tools: [{ name: 'ToolSearch', input: { query: `select:${MCP_TOOL}` } }] },
        { tools: [{ name: MCP_TOOL, input: { focus: 'chosen by the model' } }] },
        { text: 'Started.' },
      ],
    });
    const conversation = randomUUID();
    await claude(run, ['-p', `Start a session ${marker('mcp')}`, '--session-id', conversation]);
    const tool = payloads(run).find((p) => p.hook_event_name === 'PreToolUse' && p.tool_name === MCP_TOOL);
    expect(tool).toMatchObject({ tool_input: { focus: 'chosen by the model' }, mcp_server: { name: 'plugin:specmap:specmap', source: 'plugin' } });
    seen.push({ run, payload: tool! });
    // The plugin's own PreToolUse hook added the conversation id to the tool's input (Claude Code's updatedInput).
    const all = await sessionsOf(run);
    expect(all).toHaveLength(1);
    const doc = await documentOf(run, all[0]!.session_id);
    expect(doc.session.focus).toBe('chosen by the model');
    expect(doc.metadata).toEqual({ agent_session_id: conversation });
    expect(doc.artifacts.created).toContain('early.txt');
  });
});
