import { settings } from '../../shared/settings.js';
import { parseCursorPayload } from '../../api/agent-payloads.js';
import type { AgentAdapter } from './hook-runner.js';

/**
 * Cursor: the project is CURSOR_PROJECT_DIR, else the first workspace root. Cursor reads a JSON answer from every
 * hook: `{}` (no permission given or refused, no follow-up), `{"continue":true}` for a prompt, the session context
 * as `additional_context` at session start.
 */
export const cursorAdapter: AgentAdapter = {
  parse: (payload, agent) => {
    const dir = settings().cursorProjectDir;
    return { ...parseCursorPayload(payload, agent), ...(dir ? { projectDir: dir } : {}) };
  },
  stdout: (hook, context) => {
    if (hook.hookEvent === 'beforeSubmitPrompt') return JSON.stringify({ continue: true });
    if (hook.hookEvent === 'sessionStart' && context !== null) return JSON.stringify({ additional_context: context });
    return '{}';
  },
};
