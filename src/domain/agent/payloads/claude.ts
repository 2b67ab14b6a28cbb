import type { AgentEvent } from '../agent-event.js';
import type { PayloadParser } from './fields.js';

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

/** Claude Code: the payload's cwd, which follows the agent's `cd` (the project is CLAUDE_PROJECT_DIR, which stays put). */
export const parseClaudePayload: PayloadParser = (payload, agent) => {
  const p = payload as ClaudeHookEvent;
  return { events: [parseClaudeEvent(p, agent)], hookEvent: p.hook_event_name, ...(typeof p.cwd === 'string' ? { here: p.cwd } : {}) };
};
