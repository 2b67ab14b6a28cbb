import { isSpecmapError } from '../shared/errors.js';
import { settings } from '../shared/settings.js';
import {
  agentFileWritten, agentSessionEnded, agentSessionStarted, agentTurnEnded, type AgentEvent, type AgentOutcome,
} from '../domain/agent/agent-event.js';
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
 * One agent hook event: session start → start or resume the conversation's session; a file written → track it;
 * turn end → store the transcript and checkpoint, in one transaction; session end → end it with the ZIP deferred.
 * Never throws: the agent must not be disturbed by specmap's problems (action 'failed', with a note).
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
  switch (ev.kind) {
    case 'session-start':
      return transaction(opts, 'write', ({ project }) => agentSessionStarted(project, { ...ev, focus: ev.focus ?? settings().focus }));
    case 'file-written':
      return transaction(opts, 'write', (tx) => agentFileWritten(tx.project, { conversation: ev.conversation, path: projectPathOrNone(tx, ev.file), action: ev.action }));
    case 'turn-end':
      return transaction(opts, 'write', ({ project }) => agentTurnEnded(project, ev));
    case 'session-end':
      return transaction(opts, 'write', ({ project }) => agentSessionEnded(project, ev));
    default:
      return { action: 'ignored', ...(ev.note ? { note: ev.note } : {}) };
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
