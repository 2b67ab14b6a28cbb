import { SpecmapError } from './errors.js';

/** A checkpoint named by the user: a session reference and a checkpoint reference within it. */
export interface CheckpointSpec {
  session: string;
  checkpoint: string;
}

/**
 * Splits the text form `<session>:<checkpoint>` (the CLI's grammar). A bare `<checkpoint>` or `:<checkpoint>`
 * belongs to `defaultSession` (`@`, the only active session, unless the caller knows better).
 */
export function parseCheckpointSpec(text: string, defaultSession = '@'): CheckpointSpec {
  const colon = text.lastIndexOf(':');
  const session = colon > 0 ? text.slice(0, colon) : defaultSession;
  const checkpoint = colon >= 0 ? text.slice(colon + 1) : text;
  if (checkpoint.length === 0) {
    throw new SpecmapError('INVALID_INPUT', `'${text}' names no checkpoint: use <session>:<checkpoint>, e.g. @:~0 or @:checkpoint-002`, { kind: 'checkpoint-spec' });
  }
  return { session, checkpoint };
}
