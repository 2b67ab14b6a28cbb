import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESTRUCTIVE_COMMANDS } from '../../src/domain/agent/destructive-commands.js';
import { parse } from 'yaml';
import { makeRepo, scratch, isolatedEnv, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { listZip } from '../../src/storage/zip/reader.js';
import { eventually } from '../support/wait.js';

/** Sends one Claude Code hook event, shaped as Claude Code sends it, to `specmap agent-hook`. */
async function event(repo: TestRepo, body: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const input = JSON.stringify({ session_id: 'conv-1', transcript_path: '/tmp/t.jsonl', cwd: repo.dir, ...body });
  const r = await runCli(['agent-hook'], { cwd: repo.dir, env: { ...repo.env, ...env }, input });
  expect(r.code).toBe(0); // never disturbs the agent
  return r;
}

const sessions = async (repo: TestRepo, all = false) =>
  JSON.parse((await ok(['list', '--json', ...(all ? ['--all'] : [])], { cwd: repo.dir, env: repo.env })).stdout).sessions.map((x: { session_id: string; status: string }) => ({ id: x.session_id, status: x.status })) as { id: string; status: string }[];

describe('specmap agent-hook (Claude Code events)', () => {
  it('runs a whole conversation: start, track, checkpoint at Stop, resume, end with the ZIP deferred', async () => {
    const repo = makeRepo();
    const start = await event(repo, { hook_event_name: 'SessionStart', source: 'startup' });
    const out = JSON.parse(start.stdout);
    expect(out.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(out.hookSpecificOutput.additionalContext).toContain('its session opens at its first change');
    expect(await sessions(repo)).toEqual([]);
    await event(repo, { hook_event_name: 'UserPromptSubmit', prompt: 'add login' });

    // Write of a new file, Edit of an existing one, a file outside the project, a non-file tool.
    repo.write('src/auth.py', 'def login(): pass\n');
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'src/auth.py'), content: '...' }, tool_response: { type: 'create', filePath: join(repo.dir, 'src/auth.py') } });
    const [s] = await sessions(repo);
    const doc = JSON.parse((await ok(['show', s!.id, '--json'], { cwd: repo.dir, env: repo.env })).stdout).document;
    expect(doc.metadata).toEqual({ agent_session_id: 'conv-1' });
    expect(doc.session.agent).toBe('claude');
    repo.write('src/main.js', 'edited\n');
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: join(repo.dir, 'src/main.js'), old_string: 'a', new_string: 'b' } });
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/elsewhere/plan.md' } });
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'echo hi > via-bash.txt' } });
    repo.write('via-bash.txt', 'hi\n');

    const stop = await event(repo, { hook_event_name: 'Stop', stop_hook_active: false });
    expect(stop.stdout).toBe(''); // Stop must print nothing Claude Code could read as "block"
    let d = JSON.parse((await ok(['show', s!.id, '--json'], { cwd: repo.dir, env: repo.env })).stdout).document;
    expect(d.artifacts).toMatchObject({ created: ['src/auth.py', 'via-bash.txt'], modified: ['src/main.js'] });
    expect(d.checkpoints[0].description).toBe('add login');
    expect(d.checkpoints).toHaveLength(1);
    expect(d.checkpoints[0].files_snapshot).toEqual(expect.arrayContaining(['via-bash.txt', 'src/auth.py', 'src/main.js']));
    await event(repo, { hook_event_name: 'Stop' }); // nothing changed: no second checkpoint
    d = JSON.parse((await ok(['show', s!.id, '--json'], { cwd: repo.dir, env: repo.env })).stdout).document;
    expect(d.checkpoints).toHaveLength(1);

    const resumed = JSON.parse((await event(repo, { hook_event_name: 'SessionStart', source: 'resume' })).stdout);
    expect(resumed.hookSpecificOutput.additionalContext).toContain(`${s!.id} (resumed)`);
    expect(await sessions(repo)).toHaveLength(1);

    // SessionEnd returns at once; with background work disabled the ZIP is owed, and the next command writes it.
    await event(repo, { hook_event_name: 'SessionEnd', reason: 'exit' }, { SPECMAP_BACKGROUND: '0' });
    expect(existsSync(join(repo.dir, `04-agents/sessions/archive/${s!.id}/session.yaml`))).toBe(true);
    const zip = join(repo.dir, `04-agents/backups/sessions/${s!.id}-backup.zip`);
    expect(existsSync(zip)).toBe(false);
    expect((await sessions(repo, true))[0]).toMatchObject({ id: s!.id, status: 'completed' }); // settles what was owed
    expect((await listZip(zip)).map((e) => e.name)).toContain('session.yaml');
  });

  it('writes the deferred ZIP in a background process that outlives the hook', async () => {
    const repo = makeRepo();
    await event(repo, { hook_event_name: 'SessionStart', source: 'startup' });
    repo.write('a.txt', 'a\n');
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'a.txt') }, tool_response: { type: 'create' } });
    const [s] = await sessions(repo);
    await event(repo, { hook_event_name: 'SessionEnd', reason: 'logout' });
    const zip = join(repo.dir, `04-agents/backups/sessions/${s!.id}-backup.zip`);
    await eventually(() => existsSync(zip));
    expect((await listZip(zip)).map((e) => e.name)).toContain('session.yaml');
  });

  it('records into CLAUDE_PROJECT_DIR even after the agent cd-ed elsewhere; relative paths follow the agent\'s cwd', async () => {
    const repo = makeRepo();
    const other = makeRepo();
    const env = { CLAUDE_PROJECT_DIR: repo.dir };
    await event(repo, { hook_event_name: 'SessionStart', source: 'startup' }, env);
    repo.write('sub/f.txt', 'f\n');
    await event(repo, { hook_event_name: 'PostToolUse', tool_name: 'Write', cwd: join(repo.dir, 'sub'), tool_input: { file_path: 'f.txt' }, tool_response: { type: 'create' } }, env);
    const stop = await event(repo, { hook_event_name: 'Stop', cwd: other.dir }, { ...env, SPECMAP_NOW: '2025-10-25T15:00:00' });
    expect(stop.stderr).toBe('');
    const [s] = await sessions(repo);
    const shown = JSON.parse((await ok(['show', s!.id, '--json'], { cwd: repo.dir, env: repo.env })).stdout);
    expect(shown.artifacts.created).toEqual(['sub/f.txt']);
    expect(shown.checkpoints).toHaveLength(1);
    expect(existsSync(join(other.dir, '04-agents'))).toBe(false);
  });

  it('ends only the session the conversation started, never one opened by hand', async () => {
    const repo = makeRepo();
    await ok(['start', 'by hand'], { cwd: repo.dir, env: repo.env });
    await event(repo, { hook_event_name: 'SessionEnd', reason: 'exit' });
    expect((await sessions(repo))[0]!.status).toBe('active');
  });

  it('shrugs off bad input: not JSON, no session id, not a git repository', async () => {
    const repo = makeRepo();
    const bad = await runCli(['agent-hook'], { cwd: repo.dir, env: repo.env, input: '{not json' });
    expect(bad.code).toBe(0);
    expect(oneLineError(bad)).toMatch(/cannot read the hook event/);
    const noId = await runCli(['agent-hook'], { cwd: repo.dir, env: repo.env, input: '{"hook_event_name":"Stop"}' });
    expect(noId.code).toBe(0);
    const dir = scratch();
    const notRepo = await runCli(['agent-hook'], { cwd: dir, env: isolatedEnv(dir), input: JSON.stringify({ session_id: 'x', cwd: dir, hook_event_name: 'SessionStart' }) });
    expect(notRepo.code).toBe(0);
    expect(oneLineError(notRepo)).toMatch(/not a git repository/);
    expect(notRepo.stdout).toBe('');
  });
});

describe('specmap init --claude and specmap skill install', () => {
  it('merges hooks into .claude/settings.json without clobbering, idempotently', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const mine = { model: 'opus', hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] }] } };
    repo.write('.claude/settings.json', JSON.stringify(mine));
    const r = JSON.parse((await ok(['init', '--claude', '--json'], o)).stdout);
    expect(r.claude.added).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd']);
    const settings = JSON.parse(readFileSync(join(repo.dir, '.claude/settings.json'), 'utf8'));
    expect(settings.model).toBe('opus');
    const cmd = 'command -v specmap >/dev/null 2>&1 && specmap agent-hook claude || true';
    expect(settings.hooks.PostToolUse).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] },
      { matcher: 'Write|Edit|NotebookEdit', hooks: [{ type: 'command', command: 'command -v specmap-record >/dev/null 2>&1 && specmap-record claude || true' }] },
    ]);
    expect(settings.hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: cmd, timeout: 30 }] }]);
    // Destructive commands only: Claude Code filters with `if`, so ordinary Bash commands start no hook at all.
    const pre = settings.hooks.PreToolUse as { matcher: string; hooks: { command: string; if: string }[] }[];
    expect(pre).toHaveLength(1);
    expect(pre[0]!.matcher).toBe('Bash|mcp__plugin_specmap_specmap__session_start|mcp__specmap__session_start');
    expect(pre[0]!.hooks.map((h) => h.if)).toEqual(expect.arrayContaining(['Bash(rm *)', 'Bash(git reset *)', 'Bash(git checkout *)', 'Bash(unlink *)', 'mcp__specmap__session_start']));
    // One per destructive command, and one for each name of specmap's own session_start tool.
    expect(pre[0]!.hooks).toHaveLength(DESTRUCTIVE_COMMANDS.length + 2);
    expect(new Set(pre[0]!.hooks.map((h) => h.command))).toEqual(new Set([cmd]));
    const bytes = readFileSync(join(repo.dir, '.claude/settings.json'));
    const again = JSON.parse((await ok(['init', '--claude', '--json'], o)).stdout);
    expect(again.claude.added).toEqual([]);
    expect(readFileSync(join(repo.dir, '.claude/settings.json'))).toEqual(bytes);
  });

  it('updates its own hooks in place (another --hook-command, the old MultiEdit matcher), never a second set; refuses a malformed hooks entry', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const old = { matcher: 'Write|Edit|MultiEdit|NotebookEdit', hooks: [{ type: 'command', command: 'specmap agent-hook' }] };
    const mine = { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] };
    repo.write('.claude/settings.json', JSON.stringify({ hooks: { PostToolUse: [mine, old], Stop: [{ hooks: [{ type: 'command', command: 'specmap agent-hook' }] }] } }));
    const r = JSON.parse((await ok(['init', '--claude', '--hook-command', '"/opt/my tools/node" /opt/specmap/dist/bin/specmap.js agent-hook', '--json'], o)).stdout);
    expect(r.claude).toMatchObject({ added: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'SessionEnd'], updated: ['PostToolUse', 'Stop'], already_present: [] });
    const settings = JSON.parse(readFileSync(join(repo.dir, '.claude/settings.json'), 'utf8'));
    const cmd = '"/opt/my tools/node" /opt/specmap/dist/bin/specmap.js agent-hook';
    expect(settings.hooks.PostToolUse).toEqual([mine, { matcher: 'Write|Edit|NotebookEdit', hooks: [{ type: 'command', command: cmd }] }]);
    expect(settings.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: cmd }] }]);

    const broken = makeRepo();
    broken.write('.claude/settings.json', JSON.stringify({ hooks: { Stop: 'echo not a list' } }));
    const before = readFileSync(join(broken.dir, '.claude/settings.json'));
    const refused = await runCli(['init', '--claude'], { cwd: broken.dir, env: broken.env });
    expect(refused.code).toBe(6);
    expect(oneLineError(refused)).toMatch(/hooks\.Stop is not a list/);
    expect(readFileSync(join(broken.dir, '.claude/settings.json'))).toEqual(before);
  });

  it('keeps a quoted --mcp-command path with spaces as one word', async () => {
    const repo = makeRepo();
    await ok(['init', '--claude', '--mcp-command', "'/opt/my tools/specmap' mcp"], { cwd: repo.dir, env: repo.env });
    expect(JSON.parse(readFileSync(join(repo.dir, '.mcp.json'), 'utf8')).mcpServers.specmap).toEqual({ command: '/opt/my tools/specmap', args: ['mcp'] });
  });

  it('adds the MCP server to .mcp.json next to other servers, and never replaces an entry of the user\'s', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const other = { command: 'npx', args: ['-y', 'some-server'] };
    repo.write('.mcp.json', JSON.stringify({ mcpServers: { other } }));
    const r = JSON.parse((await ok(['init', '--claude', '--json'], o)).stdout);
    expect(r.mcp).toEqual({ file: '.mcp.json', action: 'added' });
    expect(JSON.parse(readFileSync(join(repo.dir, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { other, specmap: { command: 'specmap', args: ['mcp'] } } });
    const again = await ok(['init', '--claude'], o);
    expect(again.stdout).toContain('.mcp.json: the specmap MCP server is already there');

    const mine = { mcpServers: { specmap: { command: '/opt/specmap/bin/specmap', args: ['mcp'] } } };
    repo.write('.mcp.json', JSON.stringify(mine));
    const kept = JSON.parse((await ok(['init', '--claude', '--json'], o)).stdout);
    expect(kept.mcp.action).toBe('kept');
    expect(JSON.parse(readFileSync(join(repo.dir, '.mcp.json'), 'utf8'))).toEqual(mine);

    repo.write('.mcp.json', '{ broken');
    const bad = await runCli(['init', '--claude'], o);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toMatch(/\.mcp\.json is not valid JSON/);
    expect(readFileSync(join(repo.dir, '.mcp.json'), 'utf8')).toBe('{ broken');
  });

  it('refuses to touch a settings file that is not valid JSON', async () => {
    const repo = makeRepo();
    repo.write('.claude/settings.json', '{ "hooks": ');
    const r = await runCli(['init', '--claude'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(/\.claude\/settings\.json is not valid JSON/);
    expect(readFileSync(join(repo.dir, '.claude/settings.json'), 'utf8')).toBe('{ "hooks": ');
  });

  it('installs the skill with valid frontmatter, and keeps a user-edited copy unless --force', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['skill', 'install', 'specmap-session-manager'], o);
    const path = join(repo.dir, '.claude/skills/specmap-session-manager/SKILL.md');
    const text = readFileSync(path, 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
    expect(front).not.toBeNull();
    const meta = parse(front![1]!);
    expect(meta.name).toBe('specmap-session-manager');
    expect(meta.description.length).toBeGreaterThan(50);
    for (const cmd of ['specmap start', 'specmap checkpoint', 'specmap end', 'specmap restore']) expect(text).toContain(cmd);
    expect((await ok(['skill', 'install', 'specmap-session-manager', '--json'], o)).stdout).toContain('"unchanged"');
    writeFileSync(path, `${text}\nmy notes\n`);
    const r = await runCli(['skill', 'install', 'specmap-session-manager'], o);
    expect(r.code).toBe(7);
    expect(readFileSync(path, 'utf8')).toContain('my notes');
    await ok(['skill', 'install', 'specmap-session-manager', '--force'], o);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect((await runCli(['skill', 'install', 'nope'], o)).code).toBe(5);
  });
});
