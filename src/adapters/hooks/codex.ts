import type { AgentEvent } from '../../api/agent-event.js';
import { patchedFiles, isPatch } from './apply-patch.js';
import { field, noConversation, objectField, type AgentAdapter } from './hook-runner.js';

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

/**
 * Codex CLI: the project is the payload's cwd (Codex names no project folder). SessionStart's context goes out as
 * hookSpecificOutput.additionalContext; Stop answers `{"continue":true}`, since some Codex versions take an empty Stop
 * answer for invalid JSON; nothing else is printed (UserPromptSubmit's plain stdout would become model context).
 */
export const codexAdapter: AgentAdapter = {
  parse: (payload, agent) => ({ events: parseCodex(payload, agent), hookEvent: field(payload, 'hook_event_name'), here: field(payload, 'cwd') }),
  stdout: (hook, context) => {
    if (hook.hookEvent === 'SessionStart' && context !== null) return JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } });
    if (hook.hookEvent === 'Stop') return JSON.stringify({ continue: true });
    return undefined;
  },
};
