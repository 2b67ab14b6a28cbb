import { parseCodexPayload } from '../../api/agent-payloads.js';
import type { AgentAdapter } from './hook-runner.js';

/**
 * Codex CLI: the project is the payload's cwd (Codex names no project folder). SessionStart's context goes out as
 * hookSpecificOutput.additionalContext; Stop answers `{"continue":true}`, since some Codex versions take an empty Stop
 * answer for invalid JSON; nothing else is printed (UserPromptSubmit's plain stdout would become model context).
 */
export const codexAdapter: AgentAdapter = {
  parse: parseCodexPayload,
  stdout: (hook, context) => {
    if (hook.hookEvent === 'SessionStart' && context !== null) return JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } });
    if (hook.hookEvent === 'Stop') return JSON.stringify({ continue: true });
    return undefined;
  },
};
