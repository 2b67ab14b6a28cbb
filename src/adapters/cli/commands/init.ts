import { SpecmapError } from '../../../shared/errors.js';
import { init, type InitResult } from '../../../api/init.js';
import type { InstallClaudeResult } from '../../../api/install-claude.js';
import {
  agentHooksStatus, installAgentHooks, uninstallAgentHooks,
  type AgentHooksInstallResult, type AgentHooksStatusResult, type AgentHooksUninstallResult,
} from '../../../api/agent-hooks.js';
import type { CommandContext } from '../output.js';

/** The agent flags of `init`, in the order they are set up and reported. */
const AGENT_FLAGS = ['claude', 'codex', 'gemini', 'cursor', 'copilot'] as const;
const TITLES: Record<string, string> = { claude: 'Claude Code', codex: 'Codex CLI', gemini: 'Gemini CLI', cursor: 'Cursor', copilot: 'GitHub Copilot CLI' };

type InitOpts = Partial<Record<(typeof AGENT_FLAGS)[number] | 'status' | 'uninstall', boolean>> & { hookCommand?: string; mcpCommand?: string };

export function renderInit(r: InitResult): string {
  const lines = [`✅ specmap initialised in ${r.root}`];
  for (const d of r.created_dirs) lines.push(`📁 created ${d}/`);
  if (r.created_dirs.length === 0) lines.push('📁 layout already present');
  if (r.gitignore_updated) lines.push('🙈 .gitignore now keeps /04-agents/backups/ and /04-agents/reports/ out of history (ZIP backups, reports)');
  return lines.join('\n');
}

export function renderAgentInstall(r: AgentHooksInstallResult['agents'][number]): string {
  if (r.added.length === 0 && r.updated.length === 0) return `🤖 ${r.file}: specmap's ${TITLES[r.agent]} hooks are already there`;
  const parts = [r.added.length > 0 ? `added specmap hooks for ${r.added.join(', ')}` : '', r.updated.length > 0 ? `updated the specmap hooks of ${r.updated.join(', ')}` : ''];
  return `🤖 ${r.file}: ${parts.filter(Boolean).join('; ')}`;
}

export function renderMcp(r: InstallClaudeResult['mcp']): string {
  if (r.action === 'added') return `🔌 ${r.file}: added the specmap MCP server`;
  if (r.action === 'present') return `🔌 ${r.file}: the specmap MCP server is already there`;
  return `🔌 ${r.file}: kept your own "specmap" server entry as it is`;
}

function renderStatus(r: AgentHooksStatusResult): string {
  const lines: string[] = [];
  for (const a of r.agents) {
    lines.push(`🤖 ${TITLES[a.agent]} (${a.file}${a.exists ? '' : ', not there'})`);
    const width = Math.max(...a.events.map((e) => e.event.length));
    for (const e of a.events) lines.push(`   ${e.event.padEnd(width)}  ${e.state === 'installed' ? '✅' : e.state === 'outdated' ? '🔄' : '❌'} ${e.state}`);
  }
  if (r.mcp) lines.push(`🔌 ${r.mcp.file}: specmap MCP server ${r.mcp.state === 'present' ? 'present' : r.mcp.state === 'different' ? 'is your own entry' : 'missing'}`);
  return lines.join('\n');
}

function renderUninstall(r: AgentHooksUninstallResult): string {
  const lines = r.agents.map((a) => a.removed.length === 0
    ? `🧹 ${a.file}: no specmap hooks there`
    : `🧹 ${a.file}: removed specmap's hooks from ${a.removed.join(', ')}${a.deleted ? ' (the file held nothing else and is gone)' : ''}`);
  if (r.mcp) {
    lines.push(r.mcp.action === 'removed' ? `🔌 ${r.mcp.file}: removed the specmap MCP server${r.mcp.deleted ? ' (the file held nothing else and is gone)' : ''}`
      : r.mcp.action === 'kept' ? `🔌 ${r.mcp.file}: kept your own "specmap" server entry as it is`
      : `🔌 ${r.mcp.file}: no specmap MCP server there`);
  }
  return lines.join('\n');
}

/**
 * `specmap init [--claude] [--codex] [--gemini] [--cursor] [--copilot] [--status | --uninstall]`: the layout, and the
 * named agents' hooks installed (default), reported (--status) or removed (--uninstall).
 */
export async function run(ctx: CommandContext, opts: InitOpts): Promise<void> {
  const agents = AGENT_FLAGS.filter((a) => opts[a]);
  const setup = { cwd: ctx.cwd, agents: [...agents], hookCommand: opts.hookCommand, mcpCommand: opts.mcpCommand };
  if (opts.status && opts.uninstall) throw new SpecmapError('USAGE', 'choose one of --status and --uninstall');
  if ((opts.status || opts.uninstall) && agents.length === 0) {
    throw new SpecmapError('USAGE', `--${opts.status ? 'status' : 'uninstall'} needs the agents to look at: --${AGENT_FLAGS.join(', --')}`);
  }
  if (opts.status) {
    ctx.out.result(await agentHooksStatus(setup), renderStatus);
    return;
  }
  if (opts.uninstall) {
    ctx.out.result(await uninstallAgentHooks(setup), renderUninstall);
    return;
  }
  const result = await init({ cwd: ctx.cwd });
  if (agents.length === 0) {
    ctx.out.result(result, renderInit);
    return;
  }
  const installed = await installAgentHooks(setup);
  const claude = installed.agents.find((a) => a.agent === 'claude');
  // `claude` and `mcp` keep the shape `init --claude --json` has always had.
  const out = {
    ...result,
    agents: installed.agents,
    ...(claude ? { claude: { file: claude.file, added: claude.added, already_present: claude.already_present, updated: claude.updated }, mcp: installed.mcp! } : {}),
  };
  ctx.out.result(out, (r) => [renderInit(r), ...r.agents.map(renderAgentInstall), ...(installed.mcp ? [renderMcp(installed.mcp)] : [])].join('\n'));
}
