import { SpecmapError } from '../../shared/errors.js';
import { DESTRUCTIVE_COMMANDS } from './destructive-commands.js';
import type { DesiredEvent, HookFile } from './hook-config.js';

/**
 * Which hooks specmap installs for each agent, and where: one description per agent for the merge engine
 * (hook-config.ts). The formats and their sources are recorded in docs/agents.md.
 */

export const AGENTS = ['claude', 'codex', 'gemini', 'cursor', 'copilot'] as const;
export type AgentName = (typeof AGENTS)[number];

/** The hook command for one event: `args` is what the event needs appended ('' for all but Copilot's). */
export type HookCommand = (args: string) => string;

export interface AgentHookSpec {
  agent: AgentName;
  /** The agent's name for people. */
  title: string;
  file: HookFile;
  /** specmap's handlers for every event, running `command`. */
  events(command: HookCommand): DesiredEvent[];
}

/**
 * The default hook command: harmless where specmap is not installed (a teammate who checks out the committed
 * settings without it sees nothing, not "specmap: not found" on every event). Every agent here runs its hook
 * commands through a POSIX shell on Unix (docs/agents.md).
 */
export function defaultHookCommand(agent: AgentName): HookCommand {
  return (args) => `command -v specmap >/dev/null 2>&1 && specmap agent-hook ${agent}${args} || true`;
}

/** A hook command given by the user (`--hook-command`): written as given, with only the event arguments appended. */
export function customHookCommand(command: string): HookCommand {
  if (command.trim() === '') throw new SpecmapError('INVALID_INPUT', 'the hook command is empty', { kind: 'command' });
  return (args) => `${command}${args}`;
}

/** Claude Code's permission-rule filters for the destructive commands (`Bash(git reset *)`), from the one list. */
export function claudeBashFilters(): string[] {
  return DESTRUCTIVE_COMMANDS.map((c) => `Bash(${c.program}${c.subcommand ? ` ${c.subcommand}` : ''} *)`);
}

const claude: AgentHookSpec = {
  agent: 'claude',
  title: 'Claude Code',
  file: { file: '.claude/settings.json', shape: 'grouped', commandKey: 'command' },
  events: (cmd) => {
    const h = (extra: Record<string, unknown> = {}) => ({ type: 'command', command: cmd(''), ...extra });
    return [
      { event: 'SessionStart', handlers: [h()] },
      { event: 'UserPromptSubmit', handlers: [h()] },
      // One handler per destructive command, filtered by Claude Code itself (the `if` field, 2.1.85+), so an
      // ordinary Bash command starts no process at all.
      // And one for specmap's own session_start tool (plugin or .mcp.json name), whose input the hook tags with
      // the conversation's id, so an explicit start and the hooks agree on one session.
      {
        event: 'PreToolUse',
        matcher: 'Bash|mcp__plugin_specmap_specmap__session_start|mcp__specmap__session_start',
        handlers: [
          ...claudeBashFilters().map((rule) => h({ if: rule })),
          h({ if: 'mcp__plugin_specmap_specmap__session_start' }),
          h({ if: 'mcp__specmap__session_start' }),
        ],
      },
      // Claude Code 2's file tools (MultiEdit is gone); the adapter still accepts MultiEdit payloads.
      { event: 'PostToolUse', matcher: 'Write|Edit|NotebookEdit', handlers: [h()] },
      { event: 'Stop', handlers: [h()] },
      // Claude Code gives a SessionEnd hook 1.5 s unless the entry says otherwise; ending needs a little more on a
      // large session (the ZIP itself is written later, in the background).
      { event: 'SessionEnd', handlers: [h({ timeout: 30 })] },
    ];
  },
};

const codex: AgentHookSpec = {
  agent: 'codex',
  title: 'Codex CLI',
  file: { file: '.codex/hooks.json', shape: 'grouped', commandKey: 'command' },
  events: (cmd) => {
    const h = () => [{ type: 'command', command: cmd('') }];
    // Codex has no SessionEnd hook: its sessions are ended with `specmap end`.
    return [
      { event: 'SessionStart', handlers: h() },
      { event: 'UserPromptSubmit', handlers: h() },
      { event: 'PreToolUse', matcher: 'Bash', handlers: h() },
      { event: 'PostToolUse', matcher: 'apply_patch', handlers: h() },
      { event: 'Stop', handlers: h() },
    ];
  },
};

const gemini: AgentHookSpec = {
  agent: 'gemini',
  title: 'Gemini CLI',
  file: { file: '.gemini/settings.json', shape: 'grouped', commandKey: 'command' },
  events: (cmd) => {
    // One name for all of them: `/hooks disable specmap` turns specmap off in one go.
    const h = () => [{ name: 'specmap', type: 'command', command: cmd('') }];
    return [
      { event: 'SessionStart', handlers: h() },
      { event: 'BeforeAgent', handlers: h() },
      { event: 'BeforeTool', matcher: 'run_shell_command', handlers: h() },
      { event: 'AfterTool', matcher: 'write_file|replace', handlers: h() },
      { event: 'AfterAgent', handlers: h() },
      { event: 'SessionEnd', handlers: h() },
    ];
  },
};

const cursor: AgentHookSpec = {
  agent: 'cursor',
  title: 'Cursor',
  file: { file: '.cursor/hooks.json', shape: 'flat', commandKey: 'command', preamble: { version: 1 } },
  events: (cmd) =>
    ['sessionStart', 'beforeSubmitPrompt', 'beforeShellExecution', 'afterFileEdit', 'stop', 'sessionEnd']
      .map((event) => ({ event, handlers: [{ command: cmd('') }] })),
};

const copilot: AgentHookSpec = {
  agent: 'copilot',
  title: 'GitHub Copilot CLI',
  // A file of specmap's own: Copilot CLI loads every .github/hooks/*.json.
  file: { file: '.github/hooks/specmap.json', shape: 'flat', commandKey: 'bash', preamble: { version: 1 } },
  // Copilot's camelCase payloads do not name their event, so the command does.
  events: (cmd) =>
    ['sessionStart', 'userPromptSubmitted', 'preToolUse', 'postToolUse', 'agentStop', 'sessionEnd']
      .map((event) => ({ event, handlers: [{ type: 'command', bash: cmd(` --event ${event}`) }] })),
};

export const AGENT_HOOK_SPECS: Record<AgentName, AgentHookSpec> = { claude, codex, gemini, cursor, copilot };

/** The agent named `name`, or INVALID_INPUT naming the ones there are. */
export function agentHookSpec(name: string): AgentHookSpec {
  if (!(AGENTS as readonly string[]).includes(name)) {
    throw new SpecmapError('INVALID_INPUT', `unknown agent ${JSON.stringify(name.slice(0, 40))}; known: ${AGENTS.join(', ')}`, { kind: 'agent' });
  }
  return AGENT_HOOK_SPECS[name as AgentName];
}
