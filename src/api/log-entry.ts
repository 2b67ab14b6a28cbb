import type { LogEntry as Entry } from '../domain/session/log.js';
import type { LogEntry } from './contract/log.js';

/** A domain log entry in the contract's terms (shared by log and showCheckpoint). */
export function logEntryOf(e: Entry): LogEntry {
  return {
    session_id: e.session, checkpoint_id: e.id, number: e.number, date: e.date, time: e.time, description: e.description,
    agent: e.agent, files: e.files, commit: e.commit ?? null, tag: e.tag ?? null, in_git: e.inGit, source: e.source,
    ...(e.stat !== undefined ? { stat: e.stat } : {}), ...(e.patch !== undefined ? { patch: e.patch } : {}),
  };
}
