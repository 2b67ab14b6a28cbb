import type { AgentEvent } from '../agent-event.js';
import { patchedFiles, isPatch } from './apply-patch.js';
import { field, noConversation, objectField, type PayloadParser } from './fields.js';

/** Codex CLI's payload (.codex/hooks.json; docs/agents.md): Claude Code's field names, plus turn_id and model. */
function parseCodex(payload: Record<string, unknown>, agent: string): AgentEvent[] {
  const conversation = field(payload, 'session_id');
  if (!conversation) return [noConversation(agent)];
  const transcriptPath = field(payload, 'transcript_path');
  const input = objectField(payload, 'tool_input') ?? {};
  const tool = field(payload, 'tool_name');
  switch (field(payload, 'hook_event_name')) {
    case 'SessionStart':
      return [{ kind: 'session-start', conversation, agent, ...(field(payload, 'source') === 'resume' ? { resumed: true } : {}) }];
    case 'UserPromptSubmit': {
      const prompt = field(payload, 'prompt');
      return [{ kind: 'turn-start', conversation, agent, ...(prompt ? { prompt } : {}) }];
    }
    case 'PreToolUse': {
      const command = field(input, 'command');
      return tool === 'Bash' && command && !isPatch(command) ? [{ kind: 'before-shell', conversation, agent, command }] : [{ kind: 'other' }];
    }
    case 'PostToolUse': {
      // apply_patch puts the raw patch in tool_input.command; a patch run through the shell tool is one too.
      const patch = field(input, 'command', 'input', 'patch');
      if (!patch || !(tool === 'apply_patch' || isPatch(patch))) return [{ kind: 'other' }];
      const files = patchedFiles(patch);
      return files.length > 0 ? files.map((f) => ({ kind: 'file-written', conversation, agent, file: f.file, action: f.action })) : [{ kind: 'other' }];
    }
    case 'Stop':
      return [{ kind: 'turn-end', conversation, agent, ...(transcriptPath ? { transcriptPath } : {}) }];
    case 'SessionEnd':
      return [{ kind: 'session-end', conversation, ...(transcriptPath ? { transcriptPath } : {}) }];
    default:
      return [{ kind: 'other' }];
  }
}

/** Codex CLI: the project is the payload's cwd (Codex names no project folder). */
export const parseCodexPayload: PayloadParser = (payload, agent) => ({ events: parseCodex(payload, agent), hookEvent: field(payload, 'hook_event_name'), here: field(payload, 'cwd') });
