import { describe, expect, it } from 'vitest';
import { resolveId } from '../../src/shared/resolve-id.js';
import { SpecmapError } from '../../src/shared/errors.js';

const ids = ['2025-10-25-session-001-auth', '2025-10-25-session-002-api', '2025-10-26-session-001-auth'];
const opts = { what: 'session', notFound: 'SESSION_NOT_FOUND' as const };

function failure(fn: () => unknown): SpecmapError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecmapError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('resolveId', () => {
  it('returns the exact id, even when it is also a prefix of another', () => {
    expect(resolveId('ab', ['ab', 'abc'], opts)).toBe('ab');
    expect(resolveId(ids[1]!, ids, opts)).toBe(ids[1]);
  });

  it('returns the one id a prefix matches', () => {
    expect(resolveId('2025-10-26', ids, opts)).toBe('2025-10-26-session-001-auth');
  });

  it('counts a candidate that repeats once', () => {
    expect(resolveId('2025-10-26', [...ids, ids[2]!], opts)).toBe(ids[2]);
  });

  it('fails an ambiguous prefix with SESSION_AMBIGUOUS, kind ambiguous, and every match', () => {
    const err = failure(() => resolveId('2025-10-25', ids, { ...opts, what: 'checkpoint', notFound: 'CHECKPOINT_NOT_FOUND' }));
    expect(err.code).toBe('SESSION_AMBIGUOUS');
    expect(err.details).toMatchObject({ kind: 'ambiguous', matches: [ids[0], ids[1]] });
  });

  it('lists at most ten matches in the message but all of them in the details', () => {
    const many = Array.from({ length: 12 }, (_, i) => `x-${String(i).padStart(2, '0')}`);
    const err = failure(() => resolveId('x-', many, opts));
    expect(err.message).toContain('matches 12');
    expect(err.message).not.toContain('x-10');
    expect((err.details as { matches: string[] }).matches).toHaveLength(12);
  });

  it('fails no match with the caller\'s not-found code, kind not-found, naming where and the hint', () => {
    const err = failure(() => resolveId('nope', ids, { what: 'backup', where: ' in main', notFound: 'BACKUP_NOT_FOUND', hint: '(see backup list)' }));
    expect(err.code).toBe('BACKUP_NOT_FOUND');
    expect(err.details).toMatchObject({ kind: 'not-found' });
    expect(err.message).toBe("no backup matches 'nope' in main (see backup list)");
  });

  it('finds nothing among no candidates', () => {
    expect(failure(() => resolveId('a', [], opts)).code).toBe('SESSION_NOT_FOUND');
  });
});
