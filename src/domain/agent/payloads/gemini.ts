import type { AgentEvent } from '../agent-event.js';
import { field, noConversation, objectField, type PayloadParser } from './fields.js';

/** Gemini CLI's tools that write one file (tool_input.file_path). */
const FILE_TOOLS = new Set(['write_file', 'replace', 'edit']);

/** Gemini CLI's payload (.gemini/settings.json "hooks"; docs/agents.md). */
function parseGemini(payload: Record<string, unknown>, agent: string): AgentEvent {
  const conversation = field(payload, 'session_id');
  if (!conversation) return noConversation(agent);
  const transcriptPath = field(payload, 'transcript_path');
  const prompt = field(payload, 'prompt');
  const input = objectField(payload, 'tool_input') ?? {};
  const tool = field(payload, 'tool_name') ?? '';
  switch (field(payload, 'hook_event_name')) {
    case 'SessionStart':
      // The reference names the field `source`; other pages say `trigger`.
      return { kind: 'session-start', conversation, agent, ...(field(payload, 'source', 'trigger') === 'resume' ? { resumed: true } : {}) };
    case 'BeforeAgent':
      return { kind: 'turn-start', conversation, agent, ...(prompt ? { prompt } : {}) };
    case 'BeforeTool': {
      const command = field(input, 'command');
      return tool === 'run_shell_command' && command ? { kind: 'before-shell', conversation, agent, command } : { kind: 'other' };
    }
    case 'AfterTool': {
      const file = field(input, 'file_path', 'absolute_path', 'path');
      return FILE_TOOLS.has(tool) && file ? { kind: 'file-written', conversation, agent, file } : { kind: 'other' };
    }
    case 'AfterAgent':
      return { kind: 'turn-end', conversation, agent, ...(transcriptPath ? { transcriptPath } : {}), ...(prompt ? { prompt } : {}) };
    case 'SessionEnd':
      return { kind: 'session-end', conversation, ...(transcriptPath ? { transcriptPath } : {}) };
    default:
      return { kind: 'other' };
  }
}

/** Gemini CLI: the payload's cwd (the project is GEMINI_PROJECT_DIR when the environment names it). */
export const parseGeminiPayload: PayloadParser = (payload, agent) => ({ events: [parseGemini(payload, agent)], hookEvent: field(payload, 'hook_event_name'), here: field(payload, 'cwd') });
