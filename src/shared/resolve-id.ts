import { SpecmapError, type ErrorCode } from './errors.js';

export interface ResolveIdOptions {
  /** What is being looked up, for messages: "session", "checkpoint", "backup". */
  what: string;
  /** Where, for messages: " in 2025-10-25-session-001-auth", " among fetched sessions" (may be empty). */
  where?: string;
  /** The code for "no match" (SESSION_NOT_FOUND, CHECKPOINT_NOT_FOUND, BACKUP_NOT_FOUND). */
  notFound: ErrorCode;
  /** Appended to the "no match" message, e.g. the known ids. */
  hint?: string;
  /** Added to the "no match" error's details, for front doors that add their own hint (e.g. `{ list: 'sessions' }`). */
  details?: Record<string, unknown>;
}

/**
 * The one resolver of user-given ids: the exact id, else the unique candidate it is a prefix of. An ambiguous prefix
 * fails with SESSION_AMBIGUOUS (the code every kind of id shares) listing up to ten matches; no match fails with
 * `notFound`. Candidates may repeat (the same id in two places); they count once. Returns the matching id.
 */
export function resolveId(ref: string, candidates: Iterable<string>, opts: ResolveIdOptions): string {
  const ids = [...new Set(candidates)];
  if (ids.includes(ref)) return ref;
  const matches = ids.filter((id) => id.startsWith(ref));
  if (matches.length === 1) return matches[0]!;
  const where = opts.where ?? '';
  if (matches.length > 1) {
    const shown = matches.slice(0, 10).join(', ') + (matches.length > 10 ? ', …' : '');
    throw new SpecmapError('SESSION_AMBIGUOUS', `${opts.what} '${ref}' is ambiguous${where}; it matches ${matches.length}: ${shown}`, {
      kind: 'ambiguous',
      matches,
    });
  }
  throw new SpecmapError(opts.notFound, `no ${opts.what} matches '${ref}'${where}${opts.hint ? ` ${opts.hint}` : ''}`, { kind: 'not-found', ...opts.details });
}
