import { describe, expect, it } from 'vitest';
import { checkFocus, checkSessionRef, formatCheckpointId, parseScore, parseSessionId, sanitizeFocus, sessionNumberOn } from '../../src/shared/ids.js';
import { SpecmapError } from '../../src/shared/errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof SpecmapError ? err.code : 'not-a-specmap-error';
  }
  return undefined;
}

describe('focus sanitising', () => {
  it.each([
    ['authentication feature', 'authentication-feature'],
    ['API Design', 'api-design'],
    ['  Fix: bug #42 (urgent)!  ', 'fix-bug-42-urgent'],
    ['café crème', 'cafe-creme'],
    ['a'.repeat(40), 'a'.repeat(30)],
    ['word '.repeat(10), 'word-word-word-word-word-word'],
    ['Café: Fix bug #42 in the Login-Flow, quickly', 'cafe-fix-bug-42-in-the-login'],
    ['abcdefghij-abcdefghij-abcdefgh-xyz', 'abcdefghij-abcdefghij-abcdefgh'],
    ['---', ''],
    ['🚀🔥', ''],
    ['שלום', ''],
  ])('%j -> %j', (input, slug) => {
    expect(sanitizeFocus(input)).toBe(slug);
    expect(sanitizeFocus(input).length).toBeLessThanOrEqual(30);
    expect(sanitizeFocus(input)).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
  });

  it('refuses a focus with nothing to name the session with', () => {
    expect(codeOf(() => checkFocus('🚀🔥'))).toBe('INVALID_INPUT');
    expect(codeOf(() => checkFocus('   '))).toBe('INVALID_INPUT');
    expect(codeOf(() => checkFocus('line\nbreak'))).toBe('INVALID_INPUT');
    expect(codeOf(() => checkFocus('x'.repeat(10_000)))).toBe('INVALID_INPUT');
  });
});

describe('session ids', () => {
  it('parses the spec examples', () => {
    expect(parseSessionId('2025-10-25-session-001-authentication')).toEqual({ date: '2025-10-25', number: 1, slug: 'authentication' });
    expect(parseSessionId('2025-10-26-session-012-api-design')?.number).toBe(12);
    expect(parseSessionId('2025-10-25-session-001')).toBeUndefined();
    expect(parseSessionId('../etc')).toBeUndefined();
  });

  it('reads the day number from folders and refs, restored copies included', () => {
    expect(sessionNumberOn('2025-10-25', '2025-10-25-session-007-x')).toBe(7);
    expect(sessionNumberOn('2025-10-25', '2025-10-25-session-003-x-restored')).toBe(3);
    expect(sessionNumberOn('2025-10-26', '2025-10-25-session-007-x')).toBeUndefined();
  });

  it.each(['..', '../x', 'a/b', 'a\0b', 'a\nb', '-rf', '.hidden', 'x'.repeat(300), 'x.lock', ''])('refuses %j as a session reference', (ref) => {
    expect(codeOf(() => checkSessionRef(ref))).toBe('INVALID_INPUT');
  });

  it('accepts full ids, prefixes and @', () => {
    expect(checkSessionRef('@')).toBe('@');
    expect(checkSessionRef('2025-10-25-session-001')).toBe('2025-10-25-session-001');
  });

  it('formats checkpoint ids as in the spec', () => {
    expect(formatCheckpointId(1, '15:00:00')).toBe('checkpoint-001-15-00-00');
    expect(formatCheckpointId(12, '09:05:07')).toBe('checkpoint-012-09-05-07');
  });
});

describe('RULEMAP score', () => {
  it.each([['8.5', 8.5], ['0', 0], ['10', 10], ['7', 7]])('accepts %s', (input, n) => {
    expect(parseScore(input)).toBe(n);
  });
  it.each(['11', '-1', 'NaN', '1e309', 'Infinity', '', 'abc', '10.0001', '0x5'])('refuses %j', (input) => {
    expect(codeOf(() => parseScore(input))).toBe('INVALID_INPUT');
  });
});
