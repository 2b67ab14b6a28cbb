import { isAbsolute, resolve } from 'node:path';
import { agentEvent, type AgentEventResult } from '../../api/agent-event.js';
import type { AgentPayload } from '../../api/agent-payloads.js';

/** One agent hook payload as its adapter read it, with the project folder the environment names and any fixed answer. */
export interface ParsedHook extends AgentPayload {
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
