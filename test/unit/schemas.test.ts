import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContracts, schemaFiles, SCHEMAS_DIR, verbOf } from '../../scripts/schemas.mjs';

const CONTRACT_DIR = join(import.meta.dirname, '..', '..', 'src', 'api', 'contract');

describe('docs/schemas', () => {
  it('matches the contracts in src/api/contract (run `npm run schemas` after changing one)', async () => {
    const expected: Map<string, string> = schemaFiles(await loadContracts(CONTRACT_DIR, '.ts'));
    expect(expected.size).toBeGreaterThan(0);
    const onDisk = new Map(readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => [f, readFileSync(join(SCHEMAS_DIR, f), 'utf8')]));
    expect([...onDisk.keys()], 'the schema files (run `npm run schemas`)').toEqual([...expected.keys()]);
    for (const [f, text] of expected) expect(onDisk.get(f), `docs/schemas/${f} is out of date (run \`npm run schemas\`)`).toBe(text);
  });

  it('names each schema after its verb', () => {
    expect(verbOf('trackResult')).toBe('track');
    expect(verbOf('backupListResult')).toBe('backup-list');
  });

  it('writes a schema only for <verb>Result zod exports, and refuses two that would share a file', async () => {
    const { z } = await import('zod');
    const files: Map<string, string> = schemaFiles({ a: { fooResult: z.object({ n: z.number() }), helper: z.string(), FooResult: z.object({}), barResult: 'not a schema' } });
    expect([...files.keys()]).toEqual(['foo.json']);
    expect(JSON.parse(files.get('foo.json')!)).toMatchObject({ title: 'specmap foo result', type: 'object', required: ['n'] });
    expect(() => schemaFiles({ a: { fooResult: z.object({}) }, b: { fooResult: z.object({}) } })).toThrow(/foo\.json/);
  });
});
