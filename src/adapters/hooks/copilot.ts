import { parseCopilotPayload } from '../../api/agent-payloads.js';
import type { AgentAdapter } from './hook-runner.js';

export { COPILOT_FALLBACK_CONVERSATION } from '../../api/agent-payloads.js';

/**
 * GitHub Copilot CLI (.github/hooks/*.json): the project is the payload's cwd. Prints nothing: an empty answer
 * leaves every decision to Copilot's normal flow, and session-start output is not read.
 */
export const copilotAdapter: AgentAdapter = {
  parse: parseCopilotPayload,
  stdout: () => undefined,
};
