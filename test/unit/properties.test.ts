import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFocus, formatSessionId, parseSessionId, sanitizeFocus } from '../../src/shared/ids.js';
import { parseSessionYaml, renderSessionYaml, type SessionDoc } from '../../src/domain/session/session-file.js';
import { SpecmapError } from '../../src/shared/errors.js';
import { isInside, toProjectPath } from '../../src/storage/fs/project-path.js';
import { scratch } from '../support/repo.js';

const SLUG = /^([a-z0-9]+(-[a-z0-9]+)*)?$/;

describe('focus sanitising (property-based)', () => {
  it('always yields a lower-case [a-z0-9-] slug of at most 30 characters, with no leading, trailing or double hyphen', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      const slug = sanitizeFocus(s);
      expect(slug.length).toBeLessThanOrEqual(30);
      expect(slug).toMatch(SLUG);
    }), { numRuns: 2000 });
  });

  it('is idempotent, and a valid slug survives the round trip into an id', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 999 }), (s, n) => {
      const slug = sanitizeFocus(s);
      expect(sanitizeFocus(slug)).toBe(slug);
      if (slug.length === 0) return;
      const id = formatSessionId('2025-10-25', n, slug);
      expect(parseSessionId(id)).toEqual({ date: '2025-10-25', number: n, slug });
    }), { numRuns: 1000 });
  });

  it('checkFocus either returns a usable slug or throws INVALID_INPUT, never anything else', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (s) => {
      try {
        expect(checkFocus(s).slug.length).toBeGreaterThan(0);
      } catch (err) {
        expect(err).toBeInstanceOf(SpecmapError);
        expect((err as SpecmapError).code).toBe('INVALID_INPUT');
      }
    }), { numRuns: 1000 });
  });
});

describe('path validation (property-based)', () => {
  const root = realpathSync(scratch());
  mkdirSync(join(root, 'src/deep'), { recursive: true });
  symlinkSync('/tmp', join(root, 'escape'));
  const segment = fc.oneof(fc.constantFrom('..', '.', 'src', 'deep', 'escape', '', 'a b', 'ü', '.git'), fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('/') && !s.includes('\0')));

  it('accepts a path only if it resolves inside the root, not through a symlink out, and not into .git', () => {
    fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, absolute) => {
      const input = (absolute ? `${root}/` : '') + parts.join('/');
      try {
        const rel = toProjectPath(root, join(root, 'src'), input);
        const full = resolve(root, rel);
        expect(isInside(root, full)).toBe(true);
        expect(rel.startsWith('/') || rel.split('/').includes('..')).toBe(false);
        expect(rel === '.git' || rel.startsWith('.git/')).toBe(false);
        expect(rel.startsWith('escape/') || rel === 'escape').toBe(false);
      } catch (err) {
        expect(err).toBeInstanceOf(SpecmapError);
        expect(['INVALID_INPUT', 'PATH_OUTSIDE_PROJECT']).toContain((err as SpecmapError).code);
      }
    }), { numRuns: 2000 });
  });
});

describe('session.yaml round trip (property-based)', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 60 });
  const doc = fc.record({
    focus: text,
    agent: fc.constantFrom('claude', 'codex', 'gpt-5'),
    created: fc.array(text, { maxLength: 5 }),
    modified: fc.array(text, { maxLength: 5 }),
    description: text,
    score: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
    extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => /^[a-z_]+$/.test(k)), text, { maxKeys: 3 }),
  });

  it('parse(render(doc)) gives back the same document, including keys specmap does not know', () => {
    fc.assert(fc.property(doc, (d) => {
      const original: SessionDoc = {
        session: { id: '2025-10-25-session-001-x', date: '2025-10-25', start_time: '14:30:00', end_time: null, focus: d.focus, agent: d.agent, status: 'active' },
        artifacts: { created: d.created, modified: d.modified },
        checkpoints: [{ id: 'checkpoint-001-15-00-00', time: '15:00:00', description: d.description, files_snapshot: d.created, commit: 'a'.repeat(40) }],
        metrics: { duration_minutes: 5 },
        rulemap_score: d.score,
        metadata: d.extra,
      };
      expect(parseSessionYaml(renderSessionYaml(original), 'session.yaml')).toEqual(original);
    }), { numRuns: 500 });
  });
});

describe('the YAML writer (property-based)', () => {
  it('writes any JSON value so that the yaml parser reads back the same value', async () => {
    const { emitYaml } = await import('../../src/storage/yaml/emit.js');
    const { parse } = await import('yaml');
    const strings = fc.string({ unit: 'binary', maxLength: 40 });
    const value = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
    const keyed = fc.dictionary(strings, value, { maxKeys: 6 });
    fc.assert(fc.property(fc.oneof(keyed, value), (v) => {
      // JSON is the reference: -0 and 0 are the same there, as they are in YAML.
      expect(parse(emitYaml(v))).toEqual(JSON.parse(JSON.stringify(v)));
    }), { numRuns: 1000 });
  });
});
