import { isAbsolute, resolve } from 'node:path';
import { agentEvent, type AgentEvent, type AgentEventResult } from '../../api/agent-event.js';

/** One agent hook payload as its adapter read it: specmap's events (none, one, or one per file of a patch). */
export interface ParsedHook {
  events: AgentEvent[];
  /** The agent's name for the event, as the payload (or the command line) gave it. */
  hookEvent: string | undefined;
  /** Where the agent is (the payload's cwd): relative file paths are relative to it. */
  here?: string;
  /** The agent's project folder (its *_PROJECT_DIR, Cursor's first workspace root), which does not follow a `cd`. */
  projectDir?: string;
  /** What to print whatever the events did (an answer computed from the payload alone). */
  reply?: string;
}

/** What every agent adapter provides: parse a payload, and say what the hook prints for the agent to read. */
export interface AgentAdapter {
  parse(payload: Record<string, unknown>, agent: string, hookEvent?: string): ParsedHook;
  /** Exactly what goes to stdout (undefined: nothing); `context` is the session-start text for the agent, if any. */
  stdout(hook: ParsedHook, context: string | null): string | undefined;
}

export interface HookRun {
  /** The result the hook reports (`--json`): the first that did something, else the first; undefined for no event. */
  result: AgentEventResult | undefined;
  results: AgentEventResult[];
  /** The folder the events were recorded in. */
  cwd: string | undefined;
  stdout?: string;
}

const absolute = (p: unknown): string | undefined => (typeof p === 'string' && isAbsolute(p) ? p : undefined);

/**
 * The one way an agent hook is handled: the adapter parses the payload, each event goes through the api in the
 * agent's project folder (else the payload's cwd, else `fallbackCwd`), a relative written file is resolved against
 * the payload's cwd. Never throws (the api does not).
 */
export async function runAgentHook(adapter: AgentAdapter, payload: Record<string, unknown>, agent: string, opts: { hookEvent?: string; fallbackCwd?: string } = {}): Promise<HookRun> {
  const hook = adapter.parse(payload, agent, opts.hookEvent);
  const here = absolute(hook.here) ?? opts.fallbackCwd;
  const cwd = absolute(hook.projectDir) ?? here;
  const results: AgentEventResult[] = [];
  for (const event of hook.events) {
    if (event.kind === 'file-written' && !isAbsolute(event.file) && here) event.file = resolve(here, event.file);
    results.push(await agentEvent({ cwd, event }));
  }
  const result = results.find((r) => r.action !== 'ignored') ?? results[0];
  const context = results.find((r) => r.context !== null)?.context ?? null;
  const stdout = hook.reply ?? adapter.stdout(hook, context);
  return { result, results, cwd, ...(stdout !== undefined ? { stdout } : {}) };
}

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
