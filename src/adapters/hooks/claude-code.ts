import { settings } from '../../shared/settings.js';
import type { AgentEventResult } from '../../api/agent-event.js';
import { parseClaudePayload, type ClaudeHookEvent } from '../../api/agent-payloads.js';
import { runAgentHook, type AgentAdapter } from './hook-runner.js';

export { parseClaudeEvent, type ClaudeHookEvent } from '../../api/agent-payloads.js';

/** specmap's session_start MCP tool, as Claude Code names it: from the plugin, or from a .mcp.json "specmap" server. */
export const START_TOOL = /^mcp__(plugin_specmap_)?specmap__session_start$/;

/**
 * PreToolUse of specmap's own session_start tool: the tool's input with the conversation's id added to its metadata
 * (Claude Code's `updatedInput`, no permission decision), so the explicit start and the hooks agree on one session
 * per conversation — the one the hooks opened is named and focused, or the new one is the conversation's.
 */
function startToolReply(p: ClaudeHookEvent): string | undefined {
  if (p.hook_event_name !== 'PreToolUse' || !START_TOOL.test(p.tool_name ?? '') || !p.session_id) return undefined;
  const input = p.tool_input ?? {};
  const metadata = typeof input.metadata === 'object' && input.metadata !== null && !Array.isArray(input.metadata) ? input.metadata : {};
  const updatedInput = { ...input, metadata: { ...metadata, agent_session_id: p.session_id } };
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', updatedInput } });
}

/**
 * Claude Code: the project is CLAUDE_PROJECT_DIR (which stays put), else the payload's `cwd` (which follows the
 * agent's `cd`). Prints SessionStart's additional context and nothing else: a Stop or PreToolUse hook printing
 * could be read as "block".
 */
export const claudeAdapter: AgentAdapter = {
  parse: (payload, agent) => {
    const parsed = parseClaudePayload(payload, agent);
    const dir = settings().agentProjectDir;
    const base = { ...parsed, ...(dir ? { projectDir: dir } : {}) };
    const reply = startToolReply(payload as ClaudeHookEvent);
    return reply ? { ...base, events: [], reply } : base;
  },
  stdout: (hook, context) =>
    hook.hookEvent === 'SessionStart' && context !== null
      ? JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } })
      : undefined,
};

/** One Claude Code hook event through the api (see claudeAdapter). Never throws. */
export async function handleClaudeEvent(payload: ClaudeHookEvent, agent: string, fallbackCwd?: string): Promise<{ result: AgentEventResult; cwd: string | undefined; stdout?: string }> {
  const run = await runAgentHook(claudeAdapter, payload as Record<string, unknown>, agent, { fallbackCwd });
  return { result: run.result!, cwd: run.cwd, ...(run.stdout !== undefined ? { stdout: run.stdout } : {}) };
}
