import type { AgentEvent } from '../agent-event.js';

/**
 * One agent hook payload as specmap reads it: its events (none, one, or one per file of a patch) and where the
 * agent was. What the hook prints back, and the project folder an agent names in its environment, are the hook
 * adapter's business (src/adapters/hooks/).
 */
export interface AgentPayload {
  events: AgentEvent[];
  /** The agent's name for the event, as the payload (or the command line) gave it. */
  hookEvent: string | undefined;
  /** Where the agent is (the payload's cwd): relative file paths are relative to it. */
  here?: string;
  /** A project folder the payload itself names (Cursor's first workspace root). */
  projectDir?: string;
}

/** Parses one agent's payload; `hookEvent` is the event named on the command line (Copilot's `--event`). */
export type PayloadParser = (payload: Record<string, unknown>, agent: string, hookEvent?: string) => AgentPayload;

/** A string field of a payload, under the first of `names` that holds one (agents spell fields differently). */
export function field(payload: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = payload[n];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** An object field of a payload; a JSON string holding an object (Copilot's toolArgs) is parsed. */
export function objectField(payload: Record<string, unknown>, ...names: string[]): Record<string, unknown> | undefined {
  for (const n of names) {
    let v = payload[n];
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        continue;
      }
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  }
  return undefined;
}

/** The event for a payload without a conversation id: nothing to record it in. */
export const noConversation = (agent: string): AgentEvent => ({ kind: 'other', note: `specmap: ${agent} hook event without a session id; ignored` });
