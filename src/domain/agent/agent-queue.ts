import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Project } from '../project/project.js';
import { pendingAgentEventsFile } from '../project/queues.js';
import { applyAgentEvent, type AgentOutcome, type ProjectAgentEvent } from './agent-event.js';

/**
 * Queues an agent event that could not get the lock in time, without the lock: one line appended (O_APPEND, so
 * concurrent hooks never interleave a line). The next specmap command applies it, in order (settleAgentEventsLocked).
 */
export function queueAgentEvent(project: Project, ev: ProjectAgentEvent, focus?: string): void {
  const file = pendingAgentEventsFile(project);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ev, focus })}\n`);
}

/**
 * Applies every queued agent event, oldest first. Lock held. An event that fails now would fail again (its session
 * ended, its transcript is gone), so it is dropped rather than retried; its outcome says why.
 */
export async function settleAgentEventsLocked(project: Project): Promise<AgentOutcome[]> {
  const file = pendingAgentEventsFile(project);
  if (!existsSync(file) || statSync(file).size === 0) return [];
  // Take the queue away first: hooks keep appending to a fresh file while we work on this one.
  const taken = `${file}.${process.pid}.taken`;
  renameSync(file, taken);
  const outcomes: AgentOutcome[] = [];
  for (const line of readFileSync(taken, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const { ev, focus } = JSON.parse(line) as { ev: ProjectAgentEvent; focus?: string };
      outcomes.push(await applyAgentEvent(project, ev, focus));
    } catch (err) {
      outcomes.push({ action: 'ignored', note: `specmap: a queued agent event was dropped: ${(err as Error)?.message ?? String(err)}` });
    }
  }
  rmSync(taken, { force: true });
  return outcomes;
}
