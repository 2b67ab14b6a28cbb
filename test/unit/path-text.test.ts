import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuotedPath, pathBytes, pathText, pathWithin, rawJoin, rawWithin, shellWord } from '../../src/shared/path-text.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('pathText / pathBytes', () => {
  it.each([
    ['plain/name.txt', 'plain/name.txt'],
    ['with space.txt', 'with space.txt'],
    ['café.txt', 'café.txt'],
  ])('plain UTF-8 %j is its own text', (name, expected) => {
    expect(pathText(Buffer.from(name, 'utf8'))).toBe(expected);
    expect(isQuotedPath(expected)).toBe(false);
  });

  it.each([
    [b('caf\xe9.txt'), '"caf\\351.txt"'],
    [b('new\nline'), '"new\\nline"'],
    [b('tab\there'), '"tab\\there"'],
    [b('"quoted"'), '"\\"quoted\\""'],
    [b('back\\slash\x7f'), '"back\\\\slash\\177"'],
  ])('other bytes are quoted the way git quotes them: %s', (raw, text) => {
    expect(pathText(raw)).toBe(text);
    expect(isQuotedPath(text)).toBe(true);
    expect(pathBytes(text)).toEqual(raw);
  });

  it('is lossless for any bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
      const raw = Buffer.from(bytes);
      expect(pathBytes(pathText(raw))).toEqual(raw);
    }));
  });

  it('never maps two names to one text (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.uint8Array({ minLength: 1, maxLength: 12 }), (x, y) => {
      fc.pre(!Buffer.from(x).equals(Buffer.from(y)));
      expect(pathText(Buffer.from(x))).not.toBe(pathText(Buffer.from(y)));
    }));
  });
});

describe('containment', () => {
  it('pathWithin compares whole segments, by bytes when a side is quoted', () => {
    expect(pathWithin('a/b', 'a')).toBe(true);
    expect(pathWithin('a', 'a')).toBe(true);
    expect(pathWithin('ab/c', 'a')).toBe(false);
    expect(pathWithin('"a/caf\\351"', 'a')).toBe(true);
    expect(pathWithin('"b/caf\\351"', 'a')).toBe(false);
  });

  it('rawWithin and rawJoin work on bytes', () => {
    expect(rawWithin(b('dir/x\xff'), b('dir'))).toBe(true);
    expect(rawWithin(b('dirx'), b('dir'))).toBe(false);
    expect(rawJoin('/tmp/', b('x\xff'))).toEqual(b('/tmp/x\xff'));
    expect(rawJoin('/tmp', b('x'))).toEqual(b('/tmp/x'));
  });
});

describe('shellWord', () => {
  it.each([
    [Buffer.from('plain.txt'), 'plain.txt'],
    [Buffer.from('-rf'), "'-rf'"],
    [Buffer.from("it's here"), "'it'\\''s here'"],
    [b('caf\xe9'), "$'caf\\351'"],
    [b("a'\\\n"), "$'a\\'\\\\\\012'"],
  ])('%s → %s, which bash reads back as the same bytes', (raw, word) => {
    expect(shellWord(raw)).toBe(word);
    expect(execFileSync('bash', ['-c', `printf %s ${word}`])).toEqual(raw);
  });
});
