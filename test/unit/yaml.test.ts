import { describe, expect, it } from 'vitest';
import { emitYaml } from '../../src/storage/yaml/emit.js';
import { MAX_YAML_BYTES, parseYaml, yamlLib } from '../../src/storage/yaml/parse.js';
import { SpecmapError } from '../../src/shared/errors.js';

const parse = (text: string): unknown => yamlLib().parse(text);

describe('the YAML writer', () => {
  it('writes the spec style: plain keys, double-quoted strings, lists under their key', () => {
    expect(emitYaml({ session_id: 'a', files: ['x.md', 'y.md'], meta: { count: 2, done: false, none: null } })).toBe(
      'session_id: "a"\nfiles:\n  - "x.md"\n  - "y.md"\nmeta:\n  count: 2\n  done: false\n  none: null\n',
    );
  });

  it('writes empty collections inline and leaves undefined values out', () => {
    expect(emitYaml({ a: [], b: {}, c: undefined })).toBe('a: []\nb: {}\n');
    expect(emitYaml([])).toBe('[]\n');
    expect(emitYaml({})).toBe('{}\n');
  });

  it('writes lists of maps with the first key on the dash line', () => {
    expect(emitYaml({ renamed: [{ from: 'a', to: 'b' }] })).toBe('renamed:\n  - from: "a"\n    to: "b"\n');
  });

  it('writes checkpoint-like list items (strings and lists of strings) exactly as any other map', () => {
    const items = [
      { id: 'checkpoint-001', description: 'plain', files_snapshot: ['a.ts', 'dir/b.ts'], commit: 'abc' },
      { 'yes': 'a key YAML reads as a boolean', 'with space': 'k', empty: [], text: 'line "1"\nünï \u007f x\ud800y \\ end' },
      { id: 'mixed', count: 3, files: ['x'] },
      { nested: ['a', ['b']] },
    ];
    const text = emitYaml({ checkpoints: items });
    expect(text.split('\n').slice(0, 7)).toEqual([
      'checkpoints:', '  - id: "checkpoint-001"', '    description: "plain"', '    files_snapshot:', '      - "a.ts"', '      - "dir/b.ts"', '    commit: "abc"',
    ]);
    expect(text).toContain('  - "yes": "a key YAML reads as a boolean"\n    "with space": "k"\n    empty: []\n');
    expect(parse(text)).toEqual({ checkpoints: items });
  });

  it('quotes keys that YAML would read as something else', () => {
    const doc = { yes: 1, 'with space': 2, '1abc': 3, null: 4, 'a:b': 5 };
    const text = emitYaml(doc);
    expect(text).toContain('"yes": 1');
    expect(parse(text)).toEqual(doc);
  });

  it.each([
    ['a string that looks like a number', '007'],
    ['a string that looks like a boolean', 'true'],
    ['a date-looking string', '2025-10-25'],
    ['newlines and quotes', 'line 1\nline "2"\n'],
    ['control characters and DEL', '\u0001\u007f\u0085\u009f'],
    ['a lone surrogate', 'x\ud800y'],
    ['non-characters', '\ufffe\uffff'],
    ['emoji and accents', 'café 🚀'],
    ['a git-quoted path', '"caf\\351.txt"'],
  ])('round-trips %s', (_label, value) => {
    expect(parse(emitYaml({ value }))).toEqual({ value });
  });

  it('round-trips numbers, including the ones JSON cannot write', () => {
    const doc = { int: 42, neg: -1.5, big: 1e21, tiny: 5e-324, nan: Number.NaN, inf: Infinity, ninf: -Infinity };
    expect(parse(emitYaml(doc))).toEqual(doc);
  });

  it('writes a Date as its ISO string', () => {
    expect(parse(emitYaml({ at: new Date('2025-10-25T10:00:00Z') }))).toEqual({ at: '2025-10-25T10:00:00.000Z' });
  });

  it('round-trips nested lists and maps', () => {
    const doc = { a: [[1, [2, []]], { b: [{}, { c: [null] }] }], d: { e: { f: 'g' } } };
    expect(parse(emitYaml(doc))).toEqual(doc);
  });

  it('refuses values that are not data', () => {
    expect(() => emitYaml({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('parseYaml, the one YAML parse', () => {
  const bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    .concat(Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`))
    .join('\n');

  it('refuses an alias bomb as CORRUPT_DATA naming the file, not an internal error', () => {
    expect(() => parseYaml(bomb, 'x/session.yaml')).toThrow(SpecmapError);
    expect(() => parseYaml(bomb, 'x/session.yaml')).toThrow(/^x\/session\.yaml: invalid YAML: more than 100 alias expansions/);
  });

  it('still reads a file with a few aliases', () => {
    expect(parseYaml('a: &x [1, 2]\nb: *x\n', 'f').value).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it('refuses a text past MAX_YAML_BYTES before parsing it', () => {
    const text = `a: "${'x'.repeat(MAX_YAML_BYTES)}"\n`;
    let err: unknown;
    try {
      parseYaml(text, 'big.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecmapError);
    expect((err as SpecmapError).code).toBe('CORRUPT_DATA');
    expect((err as SpecmapError).details.kind).toBe('yaml-too-large');
    expect((err as SpecmapError).message).toMatch(/^big\.yaml: too large to read \(8\.0 MiB; the limit is 8\.0 MiB\)$/);
  });

  it('names the line of a syntax error', () => {
    expect(() => parseYaml('a: 1\nb: "oops\n', 'c.yaml')).toThrow(/^c\.yaml:\d: invalid YAML/);
  });
});
