import { isSpecmapError } from '../shared/errors.js';
import { settings } from '../shared/settings.js';
import { applyAgentEvent, type AgentEvent, type AgentOutcome, type ProjectAgentEvent } from '../domain/agent/agent-event.js';
import { queueAgentEvent } from '../domain/agent/agent-queue.js';
import { toProjectPath } from '../storage/fs/project-path.js';
import type { AgentEventResult } from './contract/agent-event.js';
import { transaction, type ProjectOptions, type Tx } from './transaction.js';

export type { AgentEventResult } from './contract/agent-event.js';
export type { AgentEvent } from '../domain/agent/agent-event.js';

export interface AgentEventOptions extends ProjectOptions {
  /** The event, parsed from the agent's payload; a written file is relative to `cwd` or absolute. */
  event: AgentEvent;
}

/**
 * One agent hook event: session start and turn start → the turn baseline (the project state a turn's checkpoint is
 * counted from); before a destructive shell command → a safety checkpoint; a file written → track it (opening the
 * conversation's session at its first change); turn end → store the transcript and checkpoint what the turn changed,
 * in one transaction; session end → end it with the ZIP deferred.
 * Waits at most SPECMAP_HOOK_LOCK_WAIT_MS (1 s) for the lock; past that the event is queued ('queued') and the next
 * specmap command applies it first. Never throws: the agent must not be disturbed by specmap's problems (action 'failed', with a note).
 *
 * @example
 * await agentEvent({ cwd: '/repo', event: { kind: 'turn-end', conversation: 'conv-1', agent: 'claude', transcriptPath: '/home/me/.claude/t.jsonl' } });
 * // → { action: 'checkpoint', session_id: '2025-10-25-session-001-claude-session', checkpoint_id: 'cp-001-14-30-00', listed_as: null,
 * //     context: null, note: null, backup_deferred: false }
 */
export async function agentEvent(opts: AgentEventOptions): Promise<AgentEventResult> {
  const ev = opts.event;
  try {
    return view(await dispatch(opts, ev));
  } catch (err) {
    const why = isSpecmapError(err) ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
    return view({ action: 'ignored', note: `specmap: ${ev.kind}: ${why}` }, 'failed');
  }
}

async function dispatch(opts: ProjectOptions, ev: AgentEvent): Promise<AgentOutcome> {
  if (ev.kind === 'other') return { action: 'ignored', ...(ev.note ? { note: ev.note } : {}) };
  const focus = settings().focus;
  const inProject = (tx: Tx): ProjectAgentEvent =>
    ev.kind === 'file-written' ? { kind: 'file-written', conversation: ev.conversation, agent: ev.agent, path: projectPathOrNone(tx, ev.file), action: ev.action } : ev;
  try {
    return await transaction(opts, 'write', (tx) => applyAgentEvent(tx.project, inProject(tx), focus), { timeoutMs: settings().hookLockWaitMs });
  } catch (err) {
    if (!isSpecmapError(err) || err.code !== 'LOCKED') throw err;
    // A baseline or a safety checkpoint is about this moment: applied later it would take the agent's changes as
    // the starting point. The turn is then counted from the previous baseline (the last turn's end).
    if (ev.kind === 'turn-start' || ev.kind === 'before-shell') {
      return { action: 'ignored', note: `specmap: the repository is busy; no ${ev.kind === 'turn-start' ? 'turn baseline' : 'safety checkpoint'} this time` };
    }
    // Another specmap holds the lock: an agent must never wait long for it, and the event must not be lost.
    return transaction(opts, 'open', (tx) => {
      queueAgentEvent(tx.project, inProject(tx), focus);
      return { action: 'queued', note: `specmap: the repository is busy; this ${ev.kind} event is queued for the next specmap command` } as const;
    });
  }
}

/** The written file as a project path; undefined when it is not in the project (or not a file path at all). */
function projectPathOrNone(tx: Tx, file: string): string | undefined {
  try {
    return toProjectPath(tx.project.root, tx.cwd, file);
  } catch (err) {
    if (isSpecmapError(err) && (err.code === 'PATH_OUTSIDE_PROJECT' || err.code === 'INVALID_INPUT')) return undefined;
    throw err;
  }
}

function view(o: AgentOutcome, action: AgentEventResult['action'] = o.action): AgentEventResult {
  return {
    action,
    session_id: o.session ?? null,
    checkpoint_id: o.checkpoint ?? null,
    listed_as: o.listedAs ?? null,
    context: o.context ?? null,
    note: o.note ?? null,
    backup_deferred: o.backupDeferred ?? false,
  };
}
