import { settings } from '../../shared/settings.js';
import type { AgentEvent, AgentEventResult } from '../../api/agent-event.js';
import { runAgentHook, type AgentAdapter } from './hook-runner.js';

/** The fields of a Claude Code hook event that specmap reads (see Claude Code's hooks reference, docs/agents.md). */
export interface ClaudeHookEvent {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  source?: string;
  reason?: string;
  prompt?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: Record<string, unknown>;
  stop_hook_active?: boolean;
}

/** Claude Code's tools that write one file, named by tool_input.file_path (notebook_path for notebooks). */
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/**
 * A Claude Code payload as specmap's agent event: SessionStart, UserPromptSubmit, PreToolUse of Bash, PostToolUse of
 * a file tool, Stop and SessionEnd; everything else is 'other'. Only parsing: what each event means is the api's
 * (and domain's) business.
 */
export function parseClaudeEvent(payload: ClaudeHookEvent, agent: string): AgentEvent {
  const conversation = payload.session_id ?? '';
  if (!conversation) return { kind: 'other', note: 'specmap: hook event without session_id; ignored' };
  const transcriptPath = typeof payload.transcript_path === 'string' ? payload.transcript_path : undefined;
  const input = payload.tool_input ?? {};
  switch (payload.hook_event_name) {
    case 'SessionStart':
      return { kind: 'session-start', conversation, agent, ...(payload.source === 'resume' ? { resumed: true } : {}) };
    case 'UserPromptSubmit':
      return { kind: 'turn-start', conversation, agent, ...(typeof payload.prompt === 'string' ? { prompt: payload.prompt } : {}) };
    case 'PreToolUse':
      if (payload.tool_name !== 'Bash' || typeof input.command !== 'string') return { kind: 'other' };
      return { kind: 'before-shell', conversation, agent, command: input.command };
    case 'PostToolUse': {
      if (!FILE_TOOLS.has(payload.tool_name ?? '')) return { kind: 'other' };
      const file = typeof input.file_path === 'string' ? input.file_path : typeof input.notebook_path === 'string' ? input.notebook_path : undefined;
      if (!file) return { kind: 'other' };
      // Write reports whether it created or replaced the file; the other tools leave it to specmap to tell.
      const type = payload.tool_response?.type;
      const action = type === 'create' ? 'created' : type === 'update' ? 'modified' : undefined;
      return { kind: 'file-written', conversation, agent, file, ...(action ? { action } : {}) };
    }
    case 'Stop':
      return { kind: 'turn-end', conversation, agent, ...(transcriptPath ? { transcriptPath } : {}) };
    case 'SessionEnd':
      return { kind: 'session-end', conversation, ...(transcriptPath ? { transcriptPath } : {}) };
    default:
      return { kind: 'other' };
  }
}

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
    const p = payload as ClaudeHookEvent;
    const base = { hookEvent: p.hook_event_name, here: p.cwd, projectDir: settings().agentProjectDir };
    const reply = startToolReply(p);
    return reply ? { ...base, events: [], reply } : { ...base, events: [parseClaudeEvent(p, agent)] };
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
