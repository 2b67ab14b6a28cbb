import { parseClaudePayload } from './claude.js';
import { parseCodexPayload } from './codex.js';
import { parseCopilotPayload } from './copilot.js';
import { parseCursorPayload } from './cursor.js';
import type { PayloadParser } from './fields.js';
import { parseGeminiPayload } from './gemini.js';

/** The payload parser of each agent whose hooks specmap understands (docs/agents.md has the formats). */
export const PAYLOAD_PARSERS: Record<string, PayloadParser> = {
  claude: parseClaudePayload,
  codex: parseCodexPayload,
  gemini: parseGeminiPayload,
  cursor: parseCursorPayload,
  copilot: parseCopilotPayload,
};
