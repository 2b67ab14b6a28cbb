import { isAbsolute, resolve } from 'node:path';
import { settings } from '../../shared/settings.js';
import { agentEvent, type AgentEvent, type AgentEventResult } from '../../api/agent-event.js';

/** The fields of a Claude Code hook event that specmap reads (see Claude Code's hooks reference). */
export interface ClaudeHookEvent {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  source?: string;
  reason?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: Record<string, unknown>;
  stop_hook_active?: boolean;
}

/** Claude Code's tools that write one file, named by tool_input.file_path (notebook_path for notebooks). */
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/**
 * A Claude Code payload as specmap's agent event: SessionStart, PostToolUse of a file tool, Stop and SessionEnd;
 * everything else is 'other'. Only parsing: what each event means is the api's (and domain's) business.
 */
export function parseClaudeEvent(payload: ClaudeHookEvent, agent: string): AgentEvent {
  const conversation = payload.session_id ?? '';
  if (!conversation) return { kind: 'other', note: 'specmap: hook event without session_id; ignored' };
  const transcriptPath = typeof payload.transcript_path === 'string' ? payload.transcript_path : undefined;
  switch (payload.hook_event_name) {
    case 'SessionStart':
      return { kind: 'session-start', conversation, agent, ...(payload.source === 'resume' ? { resumed: true } : {}) };
    case 'PostToolUse': {
      if (!FILE_TOOLS.has(payload.tool_name ?? '')) return { kind: 'other' };
      const input = payload.tool_input ?? {};
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

/**
 * One Claude Code hook event through the api. The project is Claude Code's project folder (CLAUDE_PROJECT_DIR, which
 * stays put), else the payload's `cwd` (which follows the agent's `cd`), else `fallbackCwd`; a relative file path in
 * the payload is relative to the payload's `cwd`. Never throws. `stdout` is what the hook prints where Claude Code reads it: SessionStart's additional context, nothing else
 * (a Stop hook printing could be read as "block").
 */
export async function handleClaudeEvent(payload: ClaudeHookEvent, agent: string, fallbackCwd?: string): Promise<{ result: AgentEventResult; cwd: string | undefined; stdout?: string }> {
  const here = payload.cwd && isAbsolute(payload.cwd) ? payload.cwd : fallbackCwd;
  const projectDir = settings().agentProjectDir;
  const cwd = projectDir && isAbsolute(projectDir) ? projectDir : here;
  const event = parseClaudeEvent(payload, agent);
  if (event.kind === 'file-written' && !isAbsolute(event.file) && here) event.file = resolve(here, event.file);
  const result = await agentEvent({ cwd, event });
  const stdout = result.context !== null
    ? JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: result.context } })
    : undefined;
  return { result, cwd, ...(stdout ? { stdout } : {}) };
}
