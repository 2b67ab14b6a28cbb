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
  /**
   * specmap's handlers for every event, running `command`; the events that only record something (a file tool's
   * write) run `record` instead, which need not start Node (bin/specmap-record).
   */
  events(command: HookCommand, record?: HookCommand): DesiredEvent[];
}

/**
 * The default hook command: harmless where specmap is not installed (a teammate who checks out the committed
 * settings without it sees nothing, not "specmap: not found" on every event). Every agent here runs its hook
 * commands through a POSIX shell on Unix (docs/agents.md).
 */
export function defaultHookCommand(agent: AgentName): HookCommand {
  return (args) => `command -v specmap >/dev/null 2>&1 && specmap agent-hook ${agent}${args} || true`;
}

/**
 * The default command for record-only events: bin/specmap-record, a shell script that queues the event without
 * starting Node (a few milliseconds instead of a Node start on every file write), guarded like the default.
 */
export function defaultRecordCommand(agent: AgentName): HookCommand {
  return (args) => `command -v specmap-record >/dev/null 2>&1 && specmap-record ${agent}${args} || true`;
}

/** A hook command given by the user (`--hook-command`): written as given, with only the event arguments appended. */
export function customHookCommand(command: string): HookCommand {
  if (command.trim() === '') throw new SpecmapError('INVALID_INPUT', 'the hook command is empty', { kind: 'command' });
  return (args) => `${command}${args}`;
}

/**
 * The commands an agent's hooks run: the guarded defaults (record-only events through specmap-record), or the
 * user's `--hook-command` for every event (it names a specmap of theirs; specmap-record may not be beside it).
 */
export function hookCommands(agent: AgentName, custom: string | undefined): [HookCommand, HookCommand] {
  if (custom === undefined) return [defaultHookCommand(agent), defaultRecordCommand(agent)];
  const c = customHookCommand(custom);
  return [c, c];
}

/** Claude Code's permission-rule filters for the destructive commands (`Bash(git reset *)`), from the one list. */
export function claudeBashFilters(): string[] {
  return DESTRUCTIVE_COMMANDS.map((c) => `Bash(${c.program}${c.subcommand ? ` ${c.subcommand}` : ''} *)`);
}

const claude: AgentHookSpec = {
  agent: 'claude',
  title: 'Claude Code',
  file: { file: '.claude/settings.json', shape: 'grouped', commandKey: 'command' },
  events: (cmd, record = cmd) => {
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
      { event: 'PostToolUse', matcher: 'Write|Edit|NotebookEdit', handlers: [{ type: 'command', command: record('') }] },
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
  events: (cmd, record = cmd) => {
    const h = (c = cmd) => [{ type: 'command', command: c('') }];
    // Codex has no SessionEnd hook: its sessions are ended with `specmap end`.
    return [
      { event: 'SessionStart', handlers: h() },
      { event: 'UserPromptSubmit', handlers: h() },
      { event: 'PreToolUse', matcher: 'Bash', handlers: h() },
      { event: 'PostToolUse', matcher: 'apply_patch', handlers: h(record) },
      { event: 'Stop', handlers: h() },
    ];
  },
};

const gemini: AgentHookSpec = {
  agent: 'gemini',
  title: 'Gemini CLI',
  file: { file: '.gemini/settings.json', shape: 'grouped', commandKey: 'command' },
  events: (cmd, record = cmd) => {
    // One name for all of them: `/hooks disable specmap` turns specmap off in one go.
    const h = (c = cmd) => [{ name: 'specmap', type: 'command', command: c('') }];
    return [
      { event: 'SessionStart', handlers: h() },
      { event: 'BeforeAgent', handlers: h() },
      { event: 'BeforeTool', matcher: 'run_shell_command', handlers: h() },
      { event: 'AfterTool', matcher: 'write_file|replace', handlers: h(record) },
      { event: 'AfterAgent', handlers: h() },
      { event: 'SessionEnd', handlers: h() },
    ];
  },
};

const cursor: AgentHookSpec = {
  agent: 'cursor',
  title: 'Cursor',
  file: { file: '.cursor/hooks.json', shape: 'flat', commandKey: 'command', preamble: { version: 1 } },
  events: (cmd, record = cmd) =>
    ['sessionStart', 'beforeSubmitPrompt', 'beforeShellExecution', 'afterFileEdit', 'stop', 'sessionEnd']
      .map((event) => ({ event, handlers: [{ command: (event === 'afterFileEdit' ? record : cmd)('') }] })),
};

const copilot: AgentHookSpec = {
  agent: 'copilot',
  title: 'GitHub Copilot CLI',
  // A file of specmap's own: Copilot CLI loads every .github/hooks/*.json.
  file: { file: '.github/hooks/specmap.json', shape: 'flat', commandKey: 'bash', preamble: { version: 1 } },
  // Copilot's camelCase payloads do not name their event, so the command does.
  events: (cmd, record = cmd) =>
    ['sessionStart', 'userPromptSubmitted', 'preToolUse', 'postToolUse', 'agentStop', 'sessionEnd']
      .map((event) => ({ event, handlers: [{ type: 'command', bash: (event === 'postToolUse' ? record : cmd)(` --event ${event}`) }] })),
};

export const AGENT_HOOK_SPECS: Record<AgentName, AgentHookSpec> = { claude, codex, gemini, cursor, copilot };

/** The agent named `name`, or INVALID_INPUT naming the ones there are. */
export function agentHookSpec(name: string): AgentHookSpec {
  if (!(AGENTS as readonly string[]).includes(name)) {
    throw new SpecmapError('INVALID_INPUT', `unknown agent ${JSON.stringify(name.slice(0, 40))}; known: ${AGENTS.join(', ')}`, { kind: 'agent' });
  }
  return AGENT_HOOK_SPECS[name as AgentName];
}
