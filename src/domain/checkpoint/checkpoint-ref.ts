import { SpecmapError } from '../../shared/errors.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';

export interface CheckpointSpec {
  session: string;
  checkpoint: string;
}

/**
 * Splits `<session>:<checkpoint>`. A bare `<checkpoint>` or `:<checkpoint>` belongs to `defaultSession`
 * (`@`, the only active session, unless the caller knows better).
 */
export function parseCheckpointSpec(text: string, defaultSession = '@'): CheckpointSpec {
  const colon = text.lastIndexOf(':');
  const session = colon > 0 ? text.slice(0, colon) : defaultSession;
  const checkpoint = colon >= 0 ? text.slice(colon + 1) : text;
  if (checkpoint.length === 0) {
    throw new SpecmapError('INVALID_INPUT', `'${text}' names no checkpoint: use <session>:<checkpoint>, e.g. @:~0 or @:checkpoint-002`);
  }
  return { session, checkpoint };
}

/**
 * Finds a checkpoint in a session: the full id, a unique prefix (`checkpoint-002`), or `~N` for "N checkpoints
 * before the newest" (`~0` is the newest, `~` the one before it, as in git).
 */
export function resolveCheckpointEntry(doc: SessionDoc, ref: string): { entry: CheckpointEntry; index: number } {
  const cps = doc.checkpoints;
  const session = doc.session.id;
  const tilde = /^~(\d*)$/.exec(ref);
  if (tilde) {
    const back = tilde[1] === '' ? 1 : Number(tilde[1]);
    const index = cps.length - 1 - back;
    if (index < 0 || !Number.isSafeInteger(back)) {
      throw new SpecmapError('CHECKPOINT_NOT_FOUND', `${session} has ${cps.length} checkpoint(s); ${ref} goes back too far`);
    }
    return { entry: cps[index]!, index };
  }
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(ref)) {
    throw new SpecmapError('INVALID_INPUT', `invalid checkpoint reference ${JSON.stringify(ref.slice(0, 60))}`);
  }
  const exact = cps.findIndex((c) => c.id === ref);
  if (exact >= 0) return { entry: cps[exact]!, index: exact };
  const matches = cps.map((c, i) => ({ c, i })).filter(({ c }) => c.id.startsWith(ref));
  if (matches.length === 1) return { entry: matches[0]!.c, index: matches[0]!.i };
  if (matches.length > 1) {
    throw new SpecmapError('SESSION_AMBIGUOUS', `checkpoint '${ref}' is ambiguous in ${session}: ${matches.map(({ c }) => c.id).join(', ')}`);
  }
  const known = cps.length === 0 ? 'it has no checkpoints' : `it has ${cps.map((c) => c.id).join(', ')}`;
  throw new SpecmapError('CHECKPOINT_NOT_FOUND', `no checkpoint '${ref}' in ${session} (${known})`);
}
