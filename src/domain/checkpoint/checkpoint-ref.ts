import { SpecmapError } from '../../shared/errors.js';
import { resolveId } from '../../shared/resolve-id.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';

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
      throw new SpecmapError('CHECKPOINT_NOT_FOUND', `${session} has ${cps.length} checkpoint(s); ${ref} goes back too far`, { kind: 'too-far-back' });
    }
    return { entry: cps[index]!, index };
  }
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(ref)) {
    throw new SpecmapError('INVALID_INPUT', `invalid checkpoint reference ${JSON.stringify(ref.slice(0, 60))}`, { kind: 'checkpoint-ref' });
  }
  const known = cps.length === 0 ? 'it has no checkpoints' : `it has ${cps.map((c) => c.id).join(', ')}`;
  const id = resolveId(ref, cps.map((c) => c.id), { what: 'checkpoint', where: ` in ${session}`, notFound: 'CHECKPOINT_NOT_FOUND', hint: `(${known})` });
  const index = cps.findIndex((c) => c.id === id);
  return { entry: cps[index]!, index };
}
