import type { Project } from '../project/project.js';
import { appendQueuedLines, pendingAgentEventsFile, takeQueuedLines } from '../project/queues.js';
import { applyAgentEvent, type AgentOutcome, type ProjectAgentEvent } from './agent-event.js';
import { settleAgentInboxLocked } from './agent-inbox.js';

/**
 * Queues an agent event that could not get the lock in time, without the lock: one line appended (O_APPEND, so
 * concurrent hooks never interleave a line). The next specmap command applies it, in order (settleAgentEventsLocked).
 */
export function queueAgentEvent(project: Project, ev: ProjectAgentEvent, focus?: string): void {
  appendQueuedLines(pendingAgentEventsFile(project), [JSON.stringify({ ev, focus })]);
}

/**
 * Applies the events bin/specmap-record left in the inbox, then every queued agent event, oldest first (those of a queue a killed process had taken before the rest), each
 * marked worked through once applied. Lock held. An event that fails now would fail again (its session
 * ended, its transcript is gone), so it is dropped rather than retried; its outcome says why.
 */
export async function settleAgentEventsLocked(project: Project): Promise<AgentOutcome[]> {
  // The inbox first: its events (a file tool's writes) happened before any turn end that had to queue.
  const outcomes: AgentOutcome[] = await settleAgentInboxLocked(project);
  const queue = takeQueuedLines(pendingAgentEventsFile(project));
  if (!queue) return outcomes;
  for (const [i, line] of queue.lines.entries()) {
    try {
      const { ev, focus } = JSON.parse(line) as { ev: ProjectAgentEvent; focus?: string };
      outcomes.push(await applyAgentEvent(project, ev, focus));
    } catch (err) {
      outcomes.push({ action: 'ignored', note: `specmap: a queued agent event was dropped: ${(err as Error)?.message ?? String(err)}` });
    }
    queue.worked(i);
  }
  queue.done();
  return outcomes;
}
