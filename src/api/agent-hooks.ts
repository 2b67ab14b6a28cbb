import { SpecmapError } from '../shared/errors.js';
import { agentHookSpec, hookCommands, type AgentHookSpec } from '../domain/agent/agent-hook-specs.js';
import { installMcpConfig, mcpConfigStatus, uninstallMcpConfig } from '../domain/agent/claude-setup.js';
import { hookFileStatus, installHookFile, uninstallHookFile, type DesiredEvent } from '../domain/agent/hook-config.js';
import type { AgentHooksInstallResult, AgentHooksStatusResult, AgentHooksUninstallResult } from './contract/agent-hooks.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { AgentHooksInstallResult, AgentHooksStatusResult, AgentHooksUninstallResult } from './contract/agent-hooks.js';

export interface AgentHooksOptions extends ProjectOptions {
  /** claude, codex, gemini, cursor, copilot: one or more. */
  agents: string[];
  /**
   * The command the agent runs for each event, written as given (default: `specmap agent-hook <agent>`, guarded so
   * it does nothing where specmap is not installed). One agent only, since the command names its adapter.
   */
  hookCommand?: string;
  /** Claude Code: the command line .mcp.json starts the MCP server with (default `specmap mcp`). */
  mcpCommand?: string;
}

function plan(opts: AgentHooksOptions): { spec: AgentHookSpec; events: DesiredEvent[] }[] {
  if (opts.agents.length === 0) throw new SpecmapError('INVALID_INPUT', 'name at least one agent', { kind: 'agent' });
  if (opts.hookCommand !== undefined && opts.agents.length > 1) {
    throw new SpecmapError('INVALID_INPUT', 'a hook command names one adapter: give --hook-command with one agent at a time', { kind: 'command' });
  }
  const specs = [...new Set(opts.agents)].map(agentHookSpec);
  return specs.map((spec) => ({ spec, events: spec.events(...hookCommands(spec.agent, opts.hookCommand)) }));
}

const withClaude = (opts: AgentHooksOptions) => opts.agents.includes('claude');

/**
 * Sets agents up: specmap's hooks merged into each agent's config file, and for Claude Code the specmap MCP server
 * into .mcp.json. Merging keeps every other setting, event and handler as it is; specmap's own handlers are found by
 * their command, whatever its spelling, and updated in place, never added twice; a file that is not valid JSON or
 * whose hooks entry is malformed is CORRUPT_DATA and left as it is.
 *
 * @example
 * await installAgentHooks({ cwd: '/repo', agents: ['codex'] });
 * // → { agents: [{ agent: 'codex', file: '.codex/hooks.json', added: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'],
 * //     already_present: [], updated: [] }], mcp: null }
 */
export async function installAgentHooks(opts: AgentHooksOptions): Promise<AgentHooksInstallResult> {
  const plans = plan(opts);
  return transaction(opts, 'write', ({ project }) => ({
    agents: plans.map(({ spec, events }) => {
      const r = installHookFile(project.root, spec.file, events);
      return { agent: spec.agent, file: r.file, added: r.added, already_present: r.alreadyPresent, updated: r.updated };
    }),
    mcp: withClaude(opts) ? installMcpConfig(project, opts.mcpCommand) : null,
  }));
}

/**
 * Whether each agent's hooks are set up, per event: installed (as `init` writes them), outdated (specmap's, with
 * another command spelling, matcher or filter) or missing; for Claude Code also the MCP entry. Changes nothing.
 *
 * @example
 * await agentHooksStatus({ cwd: '/repo', agents: ['cursor'] });
 * // → { agents: [{ agent: 'cursor', file: '.cursor/hooks.json', exists: true, events: [{ event: 'sessionStart', state: 'installed' }, …] }], mcp: null }
 */
export async function agentHooksStatus(opts: AgentHooksOptions): Promise<AgentHooksStatusResult> {
  const plans = plan(opts);
  return transaction(opts, 'open', ({ project }) => ({
    agents: plans.map(({ spec, events }) => ({ agent: spec.agent, ...hookFileStatus(project.root, spec.file, events) })),
    mcp: withClaude(opts) ? mcpConfigStatus(project, opts.mcpCommand) : null,
  }));
}

/**
 * Removes only specmap's entries: its hook handlers (any spelling), the groups and events left empty by that, a
 * file left holding nothing, and for Claude Code the "specmap" MCP server when it is exactly the one `init` writes.
 *
 * @example
 * await uninstallAgentHooks({ cwd: '/repo', agents: ['claude'] });
 * // → { agents: [{ agent: 'claude', file: '.claude/settings.json', removed: ['SessionStart', …], deleted: false }],
 * //     mcp: { file: '.mcp.json', action: 'removed', deleted: true } }
 */
export async function uninstallAgentHooks(opts: AgentHooksOptions): Promise<AgentHooksUninstallResult> {
  const plans = plan(opts);
  return transaction(opts, 'write', ({ project }) => ({
    agents: plans.map(({ spec, events }) => ({ agent: spec.agent, ...uninstallHookFile(project.root, spec.file, events) })),
    mcp: withClaude(opts) ? uninstallMcpConfig(project, opts.mcpCommand) : null,
  }));
}
