// Agent hook payloads as specmap reads them, for the hook adapters (src/adapters/hooks/): parsing is the domain's,
// what a hook prints back is the adapter's.
export { PAYLOAD_PARSERS } from '../domain/agent/payloads/index.js';
export { parseClaudeEvent, parseClaudePayload, type ClaudeHookEvent } from '../domain/agent/payloads/claude.js';
export { parseCodexPayload } from '../domain/agent/payloads/codex.js';
export { parseGeminiPayload } from '../domain/agent/payloads/gemini.js';
export { parseCursorPayload } from '../domain/agent/payloads/cursor.js';
export { COPILOT_FALLBACK_CONVERSATION, parseCopilotPayload } from '../domain/agent/payloads/copilot.js';
export type { AgentPayload, PayloadParser } from '../domain/agent/payloads/fields.js';
