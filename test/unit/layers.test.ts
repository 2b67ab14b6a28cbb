import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers of docs/architecture.md, lowest first. A file may import its own layer and the layers below it; the
// adapters (front doors) import only the api and the shared kernel, and the binaries only the adapters.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const ALLOWED: Record<string, string[]> = {
  shared: ['shared'],
  storage: ['shared', 'storage'],
  domain: ['shared', 'storage', 'domain'],
  api: ['shared', 'storage', 'domain', 'api'],
  adapters: ['shared', 'api', 'adapters'],
  bin: ['adapters'],
  types: [],
  'index.ts': ['api', 'shared'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0]!;

/** Every relative import, export-from and dynamic import() of a file, type-only ones included. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm)];
  return specs.map((m) => resolve(dirname(file), m[1] ?? m[2] ?? m[3]!));
}

describe('layers', () => {
  const files = sources(SRC);

  it('knows every top-level folder of src/', () => {
    expect(files.map(layerOf).filter((l) => !(l in ALLOWED))).toEqual([]);
  });

  it('has no upward import (storage into domain, domain into adapters, adapters past the api …)', () => {
    const upward = files.flatMap((file) =>
      imports(file)
        .filter((target) => !ALLOWED[layerOf(file)]!.includes(layerOf(target)))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('loads zod only in the MCP server and the contracts: every other file takes contract types as types', () => {
    const offenders = files.filter((file) => {
      const rel = relative(SRC, file);
      if (rel.startsWith('adapters/mcp/') || rel.startsWith('api/contract/')) return false;
      const text = readFileSync(file, 'utf8');
      return /from 'zod'/.test(text) || /^import (?!type )[^;]*from '[^']*contract\//m.test(text);
    });
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('finds imports at all (the check itself works)', () => {
    const all = files.flatMap(imports);
    expect(all.length).toBeGreaterThan(files.length);
    expect(all.some((t) => layerOf(t) === 'storage')).toBe(true);
  });
});
