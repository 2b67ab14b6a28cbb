import { settings } from '../../shared/settings.js';
import { parseGeminiPayload } from '../../api/agent-payloads.js';
import type { AgentAdapter } from './hook-runner.js';

/**
 * Gemini CLI: the project is GEMINI_PROJECT_DIR, else the payload's cwd. stdout must hold nothing but JSON: the
 * SessionStart context as hookSpecificOutput.additionalContext, else nothing (no decision: never allow or deny).
 */
export const geminiAdapter: AgentAdapter = {
  parse: (payload, agent) => {
    const dir = settings().geminiProjectDir;
    return { ...parseGeminiPayload(payload, agent), ...(dir ? { projectDir: dir } : {}) };
  },
  stdout: (hook, context) =>
    hook.hookEvent === 'SessionStart' && context !== null
      ? JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } })
      : undefined,
};
