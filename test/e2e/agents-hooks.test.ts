import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, runCli } from '../support/cli.js';
import { watchingContext } from '../../src/domain/agent/agent-event.js';

// Each agent's documented hook payloads (test/fixtures/agents/<agent>/, sources in docs/agents.md), replayed through
// `specmap agent-hook <agent>` in a real repository: what specmap records, and exactly what the agent reads back.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/agents');

/** The environment of a hook run: no agent's project-folder variable leaks in from the machine running the tests. */
function hookEnv(repo: TestRepo, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...repo.env, SPECMAP_BACKGROUND: '0', ...extra };
  for (const k of ['CLAUDE_PROJECT_DIR', 'GEMINI_PROJECT_DIR', 'CURSOR_PROJECT_DIR']) if (!(k in extra)) delete env[k];
  return env;
}

function fixture(agent: string, name: string, repo: TestRepo): string {
  return readFileSync(join(FIXTURES, agent, `${name}.json`), 'utf8').replaceAll('{{repo}}', repo.dir);
}

async function hook(repo: TestRepo, agent: string, input: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await runCli(['agent-hook', agent, ...args], { cwd: repo.dir, env: hookEnv(repo, env), input });
  expect(r.code).toBe(0); // never disturbs the agent
  return r;
}

const sessions = async (repo: TestRepo) =>
  JSON.parse((await ok(['list', '--json', '--all'], { cwd: repo.dir, env: repo.env })).stdout).sessions as { session_id: string; status: string }[];

const doc = async (repo: TestRepo, id: string) => JSON.parse((await ok(['show', id, '--json'], { cwd: repo.dir, env: repo.env })).stdout).document;

interface Step {
  fixture: string;
  /** Copilot's camelCase payloads do not name their event: the installed command passes it. */
  event?: string;
  /** Exactly what the agent must read on stdout. */
  stdout: string;
}

interface Case {
  agent: string;
  conversation: string;
  /** What the agent reads at session start, given the session's context line. */
  startOut: (context: string) => string;
  steps: { prompt: Step; shell: Step; write: Step; stop: Step; end?: Step };
  /** Makes the changes the write step reports. */
  change: (repo: TestRepo) => void;
  artifacts: { created: string[]; modified: string[] };
}

const json = (v: unknown) => `${JSON.stringify(v)}\n`;
const hookSpecific = (context: string) => json({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } });
const writeAuth = (repo: TestRepo) => repo.write('src/auth.py', 'def login(): pass\n');
const created = { created: ['src/auth.py'], modified: [] };

const CASES: Case[] = [
  {
    agent: 'claude', conversation: 'claude-conv-1', startOut: hookSpecific, change: writeAuth, artifacts: created,
    steps: {
      prompt: { fixture: '2-user-prompt-submit', stdout: '' },
      shell: { fixture: '3-pre-tool-use-bash', stdout: '' },
      write: { fixture: '4-post-tool-use-write', stdout: '' },
      stop: { fixture: '5-stop', stdout: '' },
      end: { fixture: '6-session-end', stdout: '' },
    },
  },
  {
    agent: 'codex', conversation: '019a-codex-thread', startOut: hookSpecific,
    // One apply_patch: a new file, an edit, a rename and a deletion.
    change: (repo) => {
      writeAuth(repo);
      repo.write('src/main.js', 'new\n');
      renameSync(join(repo.dir, 'src/old-name.js'), join(repo.dir, 'src/new-name.js'));
      rmSync(join(repo.dir, 'src/gone.js'));
    },
    artifacts: { created: ['src/auth.py', 'src/new-name.js'], modified: ['src/main.js'] },
    steps: {
      prompt: { fixture: '2-user-prompt-submit', stdout: '' },
      shell: { fixture: '3-pre-tool-use-bash', stdout: '' },
      write: { fixture: '4-post-tool-use-apply-patch', stdout: '' },
      stop: { fixture: '5-stop', stdout: json({ continue: true }) },
    },
  },
  {
    agent: 'gemini', conversation: 'gemini-session-1', startOut: hookSpecific, change: writeAuth, artifacts: created,
    steps: {
      prompt: { fixture: '2-before-agent', stdout: '' },
      shell: { fixture: '3-before-tool-shell', stdout: '' },
      write: { fixture: '4-after-tool-write-file', stdout: '' },
      stop: { fixture: '5-after-agent', stdout: '' },
      end: { fixture: '6-session-end', stdout: '' },
    },
  },
  {
    agent: 'cursor', conversation: 'cursor-conv-1', startOut: (context) => json({ additional_context: context }), change: writeAuth, artifacts: created,
    steps: {
      prompt: { fixture: '2-before-submit-prompt', stdout: json({ continue: true }) },
      shell: { fixture: '3-before-shell-execution', stdout: '{}\n' },
      write: { fixture: '4-after-file-edit', stdout: '{}\n' },
      stop: { fixture: '5-stop', stdout: '{}\n' },
      end: { fixture: '6-session-end', stdout: '{}\n' },
    },
  },
  {
    agent: 'copilot', conversation: 'copilot-session-1', startOut: () => '', change: writeAuth, artifacts: created,
    steps: {
      prompt: { fixture: '2-user-prompt-submitted', event: 'userPromptSubmitted', stdout: '' },
      shell: { fixture: '3-pre-tool-use', event: 'preToolUse', stdout: '' },
      write: { fixture: '4-post-tool-use', event: 'postToolUse', stdout: '' },
      stop: { fixture: '5-agent-stop', event: 'agentStop', stdout: '' },
      end: { fixture: '6-session-end', event: 'sessionEnd', stdout: '' },
    },
  },
];

describe('specmap agent-hook <agent>: documented payloads, replayed', () => {
  it.each(CASES)('$agent: start, prompt, shell, file written, turn end, session end', async (c) => {
    const repo = makeRepo();
    repo.write('src/old-name.js', 'a\n');
    repo.write('src/gone.js', 'x\n');
    repo.commitAll('more files');
    const send = (s: Step) => hook(repo, c.agent, fixture(c.agent, s.fixture, repo), s.event ? ['--event', s.event] : []);

    const start = await hook(repo, c.agent, fixture(c.agent, '1-session-start', repo), c.agent === 'copilot' ? ['--event', 'sessionStart'] : []);
    // The session opens at the conversation's first change; the start takes the baseline and says so.
    expect(await sessions(repo)).toEqual([]);
    expect(start.stdout).toBe(c.startOut(watchingContext(c.conversation, c.agent)));
    expect(repo.git('for-each-ref', '--format=%(objecttype)', 'refs/specmap/turns/').trim()).toBe('tree');

    for (const step of [c.steps.prompt, c.steps.shell]) expect((await send(step)).stdout).toBe(step.stdout);
    c.change(repo);
    expect((await send(c.steps.write)).stdout).toBe(c.steps.write.stdout);
    const [s] = await sessions(repo);
    expect(s).toMatchObject({ status: 'active' });
    const id = s!.session_id;
    let d = await doc(repo, id);
    expect(d.session.agent).toBe(c.agent);
    expect(d.metadata.agent_session_id).toBe(c.conversation);
    expect({ created: d.artifacts.created, modified: d.artifacts.modified }).toEqual(c.artifacts);

    const stop = await send(c.steps.stop);
    expect(stop.stdout).toBe(c.steps.stop.stdout);
    expect(stop.stderr).toBe('');
    d = await doc(repo, id);
    expect(d.checkpoints).toHaveLength(1);
    expect(d.checkpoints[0].files_snapshot).toEqual(expect.arrayContaining(c.artifacts.created));
    expect(await sessions(repo)).toHaveLength(1); // every event of the conversation went to the one session

    if (c.steps.end) {
      expect((await send(c.steps.end)).stdout).toBe(c.steps.end.stdout);
      expect(existsSync(join(repo.dir, `04-agents/sessions/archive/${id}/session.yaml`))).toBe(true);
    } else {
      expect((await sessions(repo))[0]!.status).toBe('active'); // Codex has no session-end hook
    }
  });

  it('an unknown agent or an unreadable payload is one line on stderr, exit 0, nothing on stdout', async () => {
    const repo = makeRepo();
    const unknown = await hook(repo, 'vim', '{}');
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^specmap: agent-hook: unknown agent "vim"; known: claude, codex, gemini, cursor, copilot\n$/);
    for (const agent of ['codex', 'gemini', 'cursor', 'copilot']) {
      const bad = await hook(repo, agent, '[1, 2');
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/^specmap: agent-hook: cannot read the hook event/);
    }
  });

  it('--agent overrides the recorded name; Copilot\'s PascalCase payloads name their event, older ones without a session id share one', async () => {
    const repo = makeRepo();
    await hook(repo, 'codex', fixture('codex', '1-session-start', repo), ['--agent', 'codex-nightly']);
    repo.write('src/auth.py', 'x\n');
    repo.write('src/new-name.js', 'x\n');
    await hook(repo, 'codex', fixture('codex', '4-post-tool-use-apply-patch', repo), ['--agent', 'codex-nightly']);
    const [s] = await sessions(repo);
    expect((await doc(repo, s!.session_id)).session.agent).toBe('codex-nightly');

    const other = makeRepo();
    await hook(other, 'copilot', JSON.stringify({ hook_event_name: 'SessionStart', session_id: 'pascal-1', timestamp: '2026-01-01T00:00:00Z', cwd: other.dir, source: 'new' }));
    other.write('notes.md', 'n\n');
    await hook(other, 'copilot', JSON.stringify({ hook_event_name: 'PostToolUse', session_id: 'pascal-1', cwd: other.dir, tool_name: 'edit', tool_input: { path: 'notes.md' }, tool_result: { result_type: 'success', text_result_for_llm: 'ok' } }));
    const [p] = await sessions(other);
    expect((await doc(other, p!.session_id)).artifacts.modified).toEqual(['notes.md']);
    expect((await doc(other, p!.session_id)).metadata.agent_session_id).toBe('pascal-1');

    // A failed edit wrote nothing: not an artifact.
    await hook(other, 'copilot', JSON.stringify({ sessionId: 'pascal-1', cwd: other.dir, toolName: 'create', toolArgs: '{"path":"never.md"}', toolResult: { resultType: 'failure', textResultForLlm: 'denied' } }), ['--event', 'postToolUse']);
    expect((await doc(other, p!.session_id)).artifacts.created).toEqual([]);

    const old = makeRepo();
    await hook(old, 'copilot', JSON.stringify({ timestamp: 1704614400000, cwd: old.dir, source: 'new' }), ['--event', 'sessionStart']);
    old.write('notes.md', 'n\n');
    await hook(old, 'copilot', JSON.stringify({ timestamp: 1704614400001, cwd: old.dir, toolName: 'edit', toolArgs: '{"path":"notes.md"}', toolResult: { resultType: 'success', textResultForLlm: 'ok' } }), ['--event', 'postToolUse']);
    const [o] = await sessions(old);
    expect((await doc(old, o!.session_id)).metadata.agent_session_id).toBe('copilot-cli');
  });

  it('records into the agent\'s project folder: GEMINI_PROJECT_DIR, CURSOR_PROJECT_DIR or Cursor\'s workspace root, not where the agent cd-ed', async () => {
    const repo = makeRepo();
    const elsewhere = makeRepo();
    const gemini = JSON.parse(fixture('gemini', '1-session-start', repo));
    await hook(repo, 'gemini', JSON.stringify({ ...gemini, cwd: elsewhere.dir }), [], { GEMINI_PROJECT_DIR: repo.dir });
    expect(repo.git('for-each-ref', 'refs/specmap/turns/')).not.toBe('');
    expect(elsewhere.git('for-each-ref', 'refs/specmap/')).toBe('');
    const write = JSON.parse(fixture('gemini', '4-after-tool-write-file', repo));
    repo.write('src/auth.py', 'x\n');
    await hook(repo, 'gemini', JSON.stringify({ ...write, cwd: elsewhere.dir }), [], { GEMINI_PROJECT_DIR: repo.dir });
    expect(await sessions(repo)).toHaveLength(1);
    expect(existsSync(join(elsewhere.dir, '04-agents'))).toBe(false);

    const cursor = JSON.parse(fixture('cursor', '4-after-file-edit', repo));
    repo.write('sub/f.txt', 'f\n');
    await hook(repo, 'cursor', JSON.stringify({ ...cursor, file_path: 'sub/f.txt', cwd: undefined }));
    const mine = (await sessions(repo)).map((s) => s.session_id);
    expect(mine).toHaveLength(2);
    const tracked = await Promise.all(mine.map(async (id) => (await doc(repo, id)).artifacts.created));
    expect(tracked).toContainEqual(['sub/f.txt']);
  });
});
