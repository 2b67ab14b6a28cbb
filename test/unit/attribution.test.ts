import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blobLines, carriedLines } from '../../src/domain/attribution/line-diff.js';
import {
  HUMAN, attributedRanges, buildRecord, copiedRecord, fileOrigins, noteText, parseNote, recordFor, specmapMeta, type LineOrigin,
} from '../../src/domain/attribution/trace-record.js';
import { parseAddedLines } from '../../src/storage/git/parse/patch.js';
import { parseBlamePorcelain } from '../../src/storage/git/parse/blame.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'git', name));

/** The length of a longest common subsequence, by dynamic programming (the reference for carriedLines). */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The pairs are a common subsequence: equal lines, both indexes increasing. */
function checkPairs(a: string[], b: string[], map: Int32Array): number {
  let last = -1;
  let kept = 0;
  map.forEach((k, j) => {
    if (k < 0) return;
    expect(a[k]).toBe(b[j]);
    expect(k).toBeGreaterThan(last);
    last = k;
    kept++;
  });
  return kept;
}

describe('carriedLines', () => {
  it('keeps the common lines and marks the added ones', () => {
    const before = ['a', 'b', 'c', 'd'];
    const after = ['a', 'x', 'c', 'd', 'y'];
    expect([...carriedLines(before, after)]).toEqual([0, -1, 2, 3, -1]);
    expect([...carriedLines([], ['a'])]).toEqual([-1]);
    expect([...carriedLines(['a'], [])]).toEqual([]);
  });

  it('aligns a longest common subsequence (checked against dynamic programming on random files)', () => {
    const line = fc.constantFrom('}', '{', 'return x;', 'a = 1;', 'b = 2;', '');
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
      const kept = checkPairs(a, b, carriedLines(a, b));
      expect(kept).toBe(lcsLength(a, b));
    }), { numRuns: 300 });
  });

  it('past the edit limit still pairs only equal lines, in order', () => {
    const a = Array.from({ length: 300 }, (_, i) => `old ${i % 7}`);
    const b = Array.from({ length: 300 }, (_, i) => `old ${(i * 3) % 11}`);
    const map = carriedLines(a, b, 5);
    expect(checkPairs(a, b, map)).toBeGreaterThan(0);
  });

  it('counts lines as git does: a last line without its newline is a line', () => {
    expect(blobLines(Buffer.from('a\nb\n'))).toEqual(['a', 'b']);
    expect(blobLines(Buffer.from('a\nb'))).toEqual(['a', 'b']);
    expect(blobLines(Buffer.from(''))).toEqual([]);
    expect(blobLines(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toEqual(['caf\u00e9']);
  });
});

describe('diff-tree -p -U0 (captured)', () => {
  it('reads the lines each file gained, skipping binary files and symlinks, never misreading a hunk line', () => {
    expect(parseAddedLines(fixture('diff-tree-patch-u0.out'))).toEqual([
      { path: 'plain.txt', ranges: [[1, 2], [5, 1]] },
      { path: 'renamed.txt', from: 'new-name.txt', ranges: [[4, 1]] },
      { path: '"tab\\there.txt"', ranges: [[2, 1]] },
      { path: 'with space.txt', ranges: [[1, 2]] },
    ]);
  });
});

describe('blame --line-porcelain (captured)', () => {
  it('reads each line with its commit, its number there and its content', () => {
    const lines = parseBlamePorcelain(fixture('blame-line-porcelain.out'));
    expect(lines.map((l) => [l.commit.slice(0, 7), l.origLine, l.line, l.content])).toEqual([
      ['83dfccf', 1, 1, '+++ b/fake'],
      ['83dfccf', 2, 2, '@@ -1 +1 @@'],
      ['d7e269d', 1, 3, 'plain'],
      ['1c26091', 2, 4, 'changed'],
      ['83dfccf', 5, 5, 'no newline'],
    ]);
    expect(lines[0]).toMatchObject({ path: 'plain.txt', author: 'Fixture User', authorTime: 1761386400 });
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Agent Trace v0.1 schema's rules (field names, required fields, no others), as docs/attribution.md lists them. */
function checkAgentTrace(r: Record<string, unknown>): void {
  const keys = (o: object, allowed: string[], required: string[]) => {
    for (const k of Object.keys(o)) expect(allowed).toContain(k);
    for (const k of required) expect(o).toHaveProperty(k);
  };
  keys(r, ['version', 'id', 'timestamp', 'vcs', 'tool', 'files', 'metadata'], ['version', 'id', 'timestamp', 'files']);
  expect(r.version).toMatch(/^[0-9]+\.[0-9]+$/);
  expect(r.id).toMatch(UUID);
  expect(r.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  keys(r.vcs as object, ['type', 'revision'], ['type', 'revision']);
  keys(r.tool as object, ['name', 'version'], ['name', 'version']);
  for (const f of r.files as Record<string, unknown>[]) {
    keys(f, ['path', 'conversations'], ['path', 'conversations']);
    for (const c of f.conversations as Record<string, unknown>[]) {
      keys(c, ['url', 'contributor', 'ranges', 'related'], ['ranges']);
      if (c.url !== undefined) expect(() => new URL(c.url as string)).not.toThrow();
      keys(c.contributor as object, ['type', 'model_id'], ['type']);
      expect(['human', 'ai', 'mixed', 'unknown']).toContain((c.contributor as { type: string }).type);
      for (const rel of (c.related ?? []) as Record<string, unknown>[]) {
        keys(rel, ['type', 'url'], ['type', 'url']);
        expect(() => new URL(rel.url as string)).not.toThrow();
      }
      for (const range of c.ranges as Record<string, unknown>[]) {
        keys(range, ['start_line', 'end_line', 'content_hash', 'contributor'], ['start_line', 'end_line']);
        expect(Number.isInteger(range.start_line) && (range.start_line as number) >= 1).toBe(true);
        expect((range.end_line as number) >= (range.start_line as number)).toBe(true);
      }
    }
  }
}

describe('Agent Trace records', () => {
  const claude: LineOrigin = { kind: 'ai', session: '2025-10-25-session-001-auth', agent: 'claude', checkpoint: 'checkpoint-001-10-00-00' };
  const running: LineOrigin = { kind: 'ai', session: '2025-10-25-session-001-auth', agent: 'claude code' };
  const commit = 'a'.repeat(40);
  const record = buildRecord(commit, [
    { path: 'src/auth.ts', lines: [{ line: 1, origin: claude }, { line: 2, origin: claude }, { line: 3, origin: HUMAN }, { line: 5, origin: claude }, { line: 6, origin: running }] },
    { path: 'empty.ts', lines: [] },
  ], { session: '2025-10-25-session-001-auth', source: 'commit' }, new Date('2025-10-25T10:00:00Z'), { name: 'specmap', version: '0.1.0' });

  it('follows the spec: its field names, required fields and formats', () => {
    checkAgentTrace(JSON.parse(JSON.stringify(record)) as Record<string, unknown>);
    expect(record.files.map((f) => f.path)).toEqual(['src/auth.ts']);
    expect(record.files[0]!.conversations).toEqual([
      {
        url: 'specmap:session/2025-10-25-session-001-auth',
        contributor: { type: 'ai' },
        ranges: [{ start_line: 1, end_line: 2 }, { start_line: 5, end_line: 5 }],
        related: [
          { type: 'checkpoint', url: 'specmap:session/2025-10-25-session-001-auth/checkpoint/checkpoint-001-10-00-00' },
          { type: 'agent', url: 'specmap:agent/claude' },
        ],
      },
      { url: 'specmap:session/2025-10-25-session-001-auth', contributor: { type: 'ai' }, ranges: [{ start_line: 6, end_line: 6 }], related: [{ type: 'agent', url: 'specmap:agent/claude%20code' }] },
      { contributor: { type: 'human' }, ranges: [{ start_line: 3, end_line: 3 }] },
    ]);
    expect(specmapMeta(record)).toEqual({ session: '2025-10-25-session-001-auth', source: 'commit', ai_lines: 4, human_lines: 1 });
  });

  it('reads back every line it wrote', () => {
    const [back] = parseNote(noteText(record));
    const origins = fileOrigins(back!, 'src/auth.ts');
    expect([...origins.entries()].sort(([a], [b]) => a - b)).toEqual([[1, claude], [2, claude], [3, HUMAN], [5, claude], [6, running]]);
  });

  it("picks the commit's own record out of concatenated or merged notes, and a copied one apart", () => {
    const old = { ...record, id: '00000000-0000-4000-8000-000000000000', vcs: { type: 'git' as const, revision: 'b'.repeat(40) } };
    const newer = { ...record, timestamp: '2025-10-26T10:00:00.000Z' };
    const text = `${noteText(old)}\n${noteText(record)}not a record\n${noteText(newer)}`;
    const records = parseNote(text);
    expect(records).toHaveLength(3);
    expect(recordFor(records, commit)?.timestamp).toBe('2025-10-26T10:00:00.000Z');
    expect(copiedRecord(records, commit)?.vcs?.revision).toBe('b'.repeat(40));
    expect(recordFor(parseNote(noteText(old)), commit)).toBeUndefined();
  });

  it("a merge's lines from a merged branch: apart, naming the commit that wrote them, and not counted as its own", () => {
    const side = 'c'.repeat(40);
    const merge = buildRecord(commit, [
      { path: 'm.ts', lines: [{ line: 1, origin: claude, via: side }, { line: 2, origin: HUMAN, via: side }, { line: 3, origin: claude }, { line: 4, origin: claude, via: side }] },
    ], { session: '2025-10-25-session-001-auth', source: 'commit' }, new Date('2025-10-25T10:00:00Z'), { name: 'specmap', version: '0.1.0' });
    checkAgentTrace(JSON.parse(JSON.stringify(merge)) as Record<string, unknown>);
    expect(merge.files[0]!.conversations.map((c) => [c.contributor?.type, c.ranges, c.related?.find((r) => r.type === 'merged-from')?.url])).toEqual([
      ['ai', [{ start_line: 1, end_line: 1 }, { start_line: 4, end_line: 4 }], `specmap:commit/${side}`],
      ['ai', [{ start_line: 3, end_line: 3 }], undefined],
      ['human', [{ start_line: 2, end_line: 2 }], `specmap:commit/${side}`],
    ]);
    expect(specmapMeta(merge)).toMatchObject({ ai_lines: 1, human_lines: 0, merged_lines: 3 });
    const [back] = parseNote(noteText(merge));
    expect([...attributedRanges(back!)].map((r) => [r.start, r.origin.kind, r.via])).toEqual([[1, 'ai', side], [4, 'ai', side], [3, 'ai', undefined], [2, 'human', side]]);
    expect(fileOrigins(back!, 'm.ts').get(2)).toEqual(HUMAN);
  });

  it("reads another tool's record: AI lines of its model, huge ranges left alone", () => {
    const foreign = JSON.stringify({
      version: '0.1', id: '550e8400-e29b-41d4-a716-446655440000', timestamp: '2026-01-23T14:30:00Z',
      files: [{ path: 'x.ts', conversations: [
        { contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5' }, ranges: [{ start_line: 2, end_line: 3 }] },
        { contributor: { type: 'ai' }, ranges: [{ start_line: 1, end_line: 9_000_000_000 }] },
      ] }],
    });
    const [r] = parseNote(foreign);
    expect([...fileOrigins(r!, 'x.ts').entries()]).toEqual([
      [2, { kind: 'ai', session: '', agent: 'anthropic/claude-opus-4-5' }],
      [3, { kind: 'ai', session: '', agent: 'anthropic/claude-opus-4-5' }],
    ]);
  });
});
