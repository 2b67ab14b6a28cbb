import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('docs/api.md', () => {
  it('documents every function the library exports, with its summary', () => {
    const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
    const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const verbs = [...index.matchAll(/^export \{ (\w+)[,\s]/gm)].map((m) => m[1]!).filter((n) => /^[a-z]/.test(n));
    expect(verbs.length).toBeGreaterThan(30);
    const missing = verbs.filter((v) => !new RegExp(`^### \`${v}\\(`, 'm').test(doc));
    expect(missing).toEqual([]);
  });

  it('is what scripts/api-doc.mjs (npm run api-doc) makes from the source now (run it after changing a verb or its JSDoc)', () => {
    const before = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const tmp = execFileSync(process.execPath, ['scripts/api-doc.mjs', '--stdout'], { cwd: ROOT, encoding: 'utf8' });
    expect(tmp).toBe(before);
  });
});
