import type { AgentEvent } from '../agent-event.js';
import { field, objectField, type PayloadParser } from './fields.js';

/**
 * Copilot CLI's event names in both of its payload formats: camelCase (the event configured in camelCase; the
 * payload does not name it, so the hook command passes `--event`) and the VS Code compatible PascalCase one.
 */
const EVENTS: Record<string, string> = {
  sessionStart: 'session-start', SessionStart: 'session-start',
  userPromptSubmitted: 'turn-start', UserPromptSubmit: 'turn-start',
  preToolUse: 'before-tool', PreToolUse: 'before-tool',
  postToolUse: 'after-tool', PostToolUse: 'after-tool',
  agentStop: 'turn-end', Stop: 'turn-end',
  sessionEnd: 'session-end', SessionEnd: 'session-end',
};

/** Copilot CLI's file tools: `create` makes a file, `edit` changes one (toolArgs.path). */
const FILE_TOOLS: Record<string, 'created' | 'modified'> = { create: 'created', edit: 'modified' };

/** Older Copilot CLI payloads carry no session id: their conversations share this one. */
export const COPILOT_FALLBACK_CONVERSATION = 'copilot-cli';

function parseCopilot(payload: Record<string, unknown>, agent: string, hookEvent: string | undefined): AgentEvent {
  const conversation = field(payload, 'sessionId', 'session_id') ?? COPILOT_FALLBACK_CONVERSATION;
  const transcriptPath = field(payload, 'transcriptPath', 'transcript_path');
  const tool = (field(payload, 'toolName', 'tool_name') ?? '').toLowerCase();
  // toolArgs is a JSON string in older versions, an object in newer ones.
  const args = objectField(payload, 'toolArgs', 'tool_input') ?? {};
  switch (EVENTS[hookEvent ?? '']) {
    case 'session-start':
      return { kind: 'session-start', conversation, agent, ...(field(payload, 'source') === 'resume' ? { resumed: true } : {}) };
    case 'turn-start': {
      const prompt = field(payload, 'prompt');
      return { kind: 'turn-start', conversation, agent, ...(prompt ? { prompt } : {}) };
    }
    case 'before-tool': {
      const command = field(args, 'command');
      return tool === 'bash' && command ? { kind: 'before-shell', conversation, agent, command } : { kind: 'other' };
    }
    case 'after-tool': {
      const file = field(args, 'path', 'file_path', 'filePath');
      const outcome = objectField(payload, 'toolResult', 'tool_result');
      const type = outcome ? field(outcome, 'resultType', 'result_type') : undefined;
      if (!(tool in FILE_TOOLS) || !file || (type !== undefined && type !== 'success')) return { kind: 'other' };
      return { kind: 'file-written', conversation, agent, file, action: FILE_TOOLS[tool]! };
    }
    case 'turn-end':
      return { kind: 'turn-end', conversation, agent, ...(transcriptPath ? { transcriptPath } : {}) };
    case 'session-end':
      return { kind: 'session-end', conversation, ...(transcriptPath ? { transcriptPath } : {}) };
    default:
      return { kind: 'other', ...(hookEvent ? {} : { note: 'specmap: copilot hook event without an event name (pass --event); ignored' }) };
  }
}

/** GitHub Copilot CLI (.github/hooks/*.json): the project is the payload's cwd. */
export const parseCopilotPayload: PayloadParser = (payload, agent, hookEvent) => {
  const name = field(payload, 'hook_event_name') ?? hookEvent;
  return { events: [parseCopilot(payload, agent, name)], hookEvent: name, here: field(payload, 'cwd') };
};
