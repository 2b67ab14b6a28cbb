import type { AgentEvent } from '../agent-event.js';
import { field, noConversation, type PayloadParser } from './fields.js';

/** Cursor's payload (.cursor/hooks.json, version 1; docs/agents.md): camelCase event names, snake_case fields. */
function parseCursor(payload: Record<string, unknown>, agent: string): AgentEvent {
  const conversation = field(payload, 'conversation_id', 'session_id');
  if (!conversation) return noConversation(agent);
  const transcriptPath = field(payload, 'transcript_path');
  switch (field(payload, 'hook_event_name')) {
    case 'sessionStart':
      return { kind: 'session-start', conversation, agent };
    case 'beforeSubmitPrompt': {
      const prompt = field(payload, 'prompt');
      return { kind: 'turn-start', conversation, agent, ...(prompt ? { prompt } : {}) };
    }
    case 'beforeShellExecution': {
      const command = field(payload, 'command');
      return command ? { kind: 'before-shell', conversation, agent, command } : { kind: 'other' };
    }
    case 'afterFileEdit': {
      const file = field(payload, 'file_path');
      return file ? { kind: 'file-written', conversation, agent, file } : { kind: 'other' };
    }
    case 'stop':
      return { kind: 'turn-end', conversation, agent, ...(transcriptPath ? { transcriptPath } : {}) };
    case 'sessionEnd':
      return { kind: 'session-end', conversation, ...(transcriptPath ? { transcriptPath } : {}) };
    default:
      return { kind: 'other' };
  }
}

const firstRoot = (payload: Record<string, unknown>): string | undefined => {
  const roots = payload.workspace_roots;
  return Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : undefined;
};

/**
 * Cursor: the project is the first workspace root (CURSOR_PROJECT_DIR when the environment names it); relative
 * paths are relative to the shell's cwd or that root.
 */
export const parseCursorPayload: PayloadParser = (payload, agent) => ({
  events: [parseCursor(payload, agent)],
  hookEvent: field(payload, 'hook_event_name'),
  here: field(payload, 'cwd') ?? firstRoot(payload),
  projectDir: firstRoot(payload),
});
