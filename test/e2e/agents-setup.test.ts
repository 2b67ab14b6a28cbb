import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

// init --<agent> [--status | --uninstall] in real repositories: a user's own hooks and settings survive, installing
// twice changes nothing, uninstalling gives back the file as it was, and a file specmap cannot read is refused.

interface AgentCase {
  agent: string;
  file: string;
  events: string[];
  /** The user's own file before specmap (undefined: there is none). */
  mine?: Record<string, unknown>;
}

const CASES: AgentCase[] = [
  {
    agent: 'claude', file: '.claude/settings.json',
    events: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd'],
    mine: {
      model: 'opus',
      permissions: { allow: ['Bash(ls)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] }],
        Notification: [{ hooks: [{ type: 'command', command: 'notify-send hi' }] }],
      },
    },
  },
  {
    agent: 'codex', file: '.codex/hooks.json',
    events: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'],
    mine: { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo done', timeout: 5 }] }] } },
  },
  {
    agent: 'gemini', file: '.gemini/settings.json',
    events: ['SessionStart', 'BeforeAgent', 'BeforeTool', 'AfterTool', 'AfterAgent', 'SessionEnd'],
    mine: { theme: 'dark', hooks: { disabled: ['secret-scanner'], BeforeTool: [{ matcher: 'write_file', hooks: [{ name: 'lint', type: 'command', command: './lint.sh' }] }] } },
  },
  {
    agent: 'cursor', file: '.cursor/hooks.json',
    events: ['sessionStart', 'beforeSubmitPrompt', 'beforeShellExecution', 'afterFileEdit', 'stop', 'sessionEnd'],
    mine: { version: 1, hooks: { afterFileEdit: [{ command: './format.sh' }] } },
  },
  {
    // specmap's own file in .github/hooks/; the user's files there are never touched.
    agent: 'copilot', file: '.github/hooks/specmap.json',
    events: ['sessionStart', 'userPromptSubmitted', 'preToolUse', 'postToolUse', 'agentStop', 'sessionEnd'],
  },
];

const readJson = (repo: TestRepo, rel: string) => JSON.parse(readFileSync(join(repo.dir, rel), 'utf8'));
const cli = async (repo: TestRepo, args: string[]) => JSON.parse((await ok([...args, '--json'], { cwd: repo.dir, env: repo.env })).stdout);
const states = (r: { agents: { events: { event: string; state: string }[] }[] }) => Object.fromEntries(r.agents[0]!.events.map((e) => [e.event, e.state]));

describe('specmap init --<agent>: install, status, uninstall', () => {
  it.each(CASES)('$agent: keeps the user\'s hooks, installs once, reports, and uninstalls back to the original', async (c) => {
    const repo = makeRepo();
    const flag = `--${c.agent}`;
    const theirs = JSON.stringify({ version: 1, hooks: { sessionStart: [{ type: 'command', bash: './mine.sh' }] } }, null, 4);
    if (c.agent === 'copilot') repo.write('.github/hooks/mine.json', theirs);
    if (c.mine) repo.write(c.file, JSON.stringify(c.mine));

    const installed = await cli(repo, ['init', flag]);
    expect(installed.agents).toEqual([{ agent: c.agent, file: c.file, added: c.events, already_present: [], updated: [] }]);
    const after = readJson(repo, c.file);
    // A file tool's write only records: it goes through specmap-record (no Node); every other event runs specmap.
    const recordOnly = ['PostToolUse', 'AfterTool', 'afterFileEdit', 'postToolUse'];
    for (const event of c.events) expect(JSON.stringify(after.hooks[event])).toContain(recordOnly.includes(event) ? `specmap-record ${c.agent}` : 'specmap agent-hook');
    if (c.mine) {
      // Every key and hook of the user's is still there, as it was.
      for (const [k, v] of Object.entries(c.mine)) if (k !== 'hooks') expect(after[k]).toEqual(v);
      for (const [event, list] of Object.entries(c.mine.hooks as Record<string, unknown[]>)) expect(after.hooks[event].slice(0, list.length)).toEqual(list);
    }
    if (c.agent === 'cursor' || c.agent === 'copilot') expect(after.version).toBe(1);

    const bytes = readFileSync(join(repo.dir, c.file));
    const again = await cli(repo, ['init', flag]);
    expect(again.agents[0]).toMatchObject({ added: [], updated: [], already_present: c.events });
    expect(readFileSync(join(repo.dir, c.file))).toEqual(bytes);

    const status = await cli(repo, ['init', flag, '--status']);
    expect(states(status)).toEqual(Object.fromEntries(c.events.map((e) => [e, 'installed'])));
    expect(status.agents[0].exists).toBe(true);

    const removed = await cli(repo, ['init', flag, '--uninstall']);
    expect(removed.agents[0]).toMatchObject({ agent: c.agent, file: c.file, removed: expect.arrayContaining(c.events), deleted: !c.mine });
    if (c.mine) expect(readJson(repo, c.file)).toEqual(c.mine);
    else expect(existsSync(join(repo.dir, c.file))).toBe(false);
    if (c.agent === 'copilot') expect(readFileSync(join(repo.dir, '.github/hooks/mine.json'), 'utf8')).toBe(theirs);

    const gone = await cli(repo, ['init', flag, '--status']);
    expect(new Set(Object.values(states(gone)))).toEqual(new Set(['missing']));
    expect((await cli(repo, ['init', flag, '--uninstall'])).agents[0].removed).toEqual([]);
  });

  it.each(CASES)('$agent: refuses a malformed hooks entry or invalid JSON, and leaves the file as it was', async (c) => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write(c.file, JSON.stringify({ hooks: { [c.events[0]!]: 'echo not a list' } }));
    const before = readFileSync(join(repo.dir, c.file), 'utf8');
    for (const extra of [[], ['--status'], ['--uninstall']]) {
      const r = await runCli(['init', `--${c.agent}`, ...extra], o);
      expect(r.code).toBe(6);
      expect(oneLineError(r)).toContain(`${c.file}: hooks.${c.events[0]} is not a list`);
      expect(readFileSync(join(repo.dir, c.file), 'utf8')).toBe(before);
    }
    repo.write(c.file, '{ "hooks": ');
    const bad = await runCli(['init', `--${c.agent}`], o);
    expect(bad.code).toBe(6);
    expect(oneLineError(bad)).toContain(`${c.file} is not valid JSON`);
    expect(readFileSync(join(repo.dir, c.file), 'utf8')).toBe('{ "hooks": ');
  });

  it('recognises its own older spellings and a custom --hook-command, and updates them in place: never a second set', async () => {
    const repo = makeRepo();
    repo.write('.codex/hooks.json', JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo mine' }, { type: 'command', command: 'specmap agent-hook codex' }] }] } }));
    expect(states(await cli(repo, ['init', '--codex', '--status']))).toMatchObject({ Stop: 'outdated', SessionStart: 'missing' });
    const r = await cli(repo, ['init', '--codex']);
    expect(r.agents[0]).toMatchObject({ updated: ['Stop'] });
    const stop = readJson(repo, '.codex/hooks.json').hooks.Stop;
    // The user's handler keeps its group; specmap's own group takes its place right after it.
    expect(stop).toEqual([
      { hooks: [{ type: 'command', command: 'echo mine' }] },
      { hooks: [{ type: 'command', command: 'command -v specmap >/dev/null 2>&1 && specmap agent-hook codex || true' }] },
    ]);

    const custom = 'node "/opt/my tools/specmap/dist/bin/specmap.js" agent-hook copilot';
    await cli(repo, ['init', '--copilot', '--hook-command', custom]);
    expect(readJson(repo, '.github/hooks/specmap.json').hooks.agentStop).toEqual([{ type: 'command', bash: `${custom} --event agentStop` }]);
    expect(states(await cli(repo, ['init', '--copilot', '--status', '--hook-command', custom])).agentStop).toBe('installed');
    expect(states(await cli(repo, ['init', '--copilot', '--status'])).agentStop).toBe('outdated');
    await cli(repo, ['init', '--copilot']);
    expect(readJson(repo, '.github/hooks/specmap.json').hooks.agentStop).toHaveLength(1);
  });

  it('sets several agents up at once, keeps init --claude --json\'s shape, and refuses flags that do not fit', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const r = await cli(repo, ['init', '--claude', '--cursor', '--gemini']);
    expect(r.agents.map((a: { agent: string }) => a.agent)).toEqual(['claude', 'gemini', 'cursor']);
    expect(r.claude.added).toContain('PreToolUse');
    expect(r.mcp).toEqual({ file: '.mcp.json', action: 'added' });
    expect(r.created_dirs.length).toBeGreaterThan(0);

    const noAgent = await runCli(['init', '--status'], o);
    expect(noAgent.code).toBe(2);
    expect(oneLineError(noAgent)).toMatch(/--status needs the agents/);
    expect((await runCli(['init', '--codex', '--status', '--uninstall'], o)).code).toBe(2);
    const two = await runCli(['init', '--codex', '--cursor', '--hook-command', 'x agent-hook codex'], o);
    expect(two.code).toBe(5);
    expect(oneLineError(two)).toMatch(/one agent at a time/);
    expect(existsSync(join(repo.dir, '.codex'))).toBe(false);
  });

  it('--claude --uninstall removes the MCP entry only when it is exactly specmap\'s', async () => {
    const repo = makeRepo();
    const other = { command: 'npx', args: ['-y', 'other-server'] };
    repo.write('.mcp.json', JSON.stringify({ mcpServers: { other } }));
    await cli(repo, ['init', '--claude']);
    expect((await cli(repo, ['init', '--claude', '--status'])).mcp).toEqual({ file: '.mcp.json', state: 'present' });
    const removed = await cli(repo, ['init', '--claude', '--uninstall']);
    expect(removed.mcp).toEqual({ file: '.mcp.json', action: 'removed', deleted: false });
    expect(readJson(repo, '.mcp.json')).toEqual({ mcpServers: { other } });
    expect(existsSync(join(repo.dir, '.claude/settings.json'))).toBe(false);

    const mine = { mcpServers: { specmap: { command: '/opt/specmap/bin/specmap', args: ['mcp'] } } };
    repo.write('.mcp.json', JSON.stringify(mine));
    expect((await cli(repo, ['init', '--claude', '--status'])).mcp.state).toBe('different');
    expect((await cli(repo, ['init', '--claude', '--uninstall'])).mcp.action).toBe('kept');
    expect(readJson(repo, '.mcp.json')).toEqual(mine);
  });

  it('the default command does nothing where specmap is not installed, and runs specmap where it is', async () => {
    const repo = makeRepo();
    await cli(repo, ['init', '--codex']);
    const command = readJson(repo, '.codex/hooks.json').hooks.Stop[0].hooks[0].command as string;
    const sh = (path: string) => spawnSync('/bin/sh', ['-c', command], { input: '{}', encoding: 'utf8', env: { PATH: path, HOME: repo.home } });
    const without = sh('/usr/bin:/bin');
    expect({ code: without.status, stdout: without.stdout, stderr: without.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });

    const bin = join(scratch(), 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'specmap'), '#!/bin/sh\necho "ran: $*"\n');
    chmodSync(join(bin, 'specmap'), 0o755);
    const withIt = sh(`${bin}:/usr/bin:/bin`);
    expect(withIt.status).toBe(0);
    expect(withIt.stdout).toBe('ran: agent-hook codex\n');
  });
});
