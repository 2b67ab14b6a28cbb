#!/usr/bin/env node
// Writes docs/schemas/<verb>.json: the JSON Schema of every `xResult` contract in the BUILT dist/api/contract/*.js
// (run `npm run schemas`, which builds first). The contracts are zod objects; zod turns them into JSON Schema.
// test/unit/schemas.test.ts regenerates the same files in memory from src/ and fails when these are out of date.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

/** `trackResult` → `track`, `backupListResult` → `backup-list`. */
export function verbOf(exportName) {
  return exportName.replace(/Result$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The schema files for contract modules: `modules` maps a contract file's name to its exports. Every export named
 * `<verb>Result` that is a zod schema becomes `<verb>.json`. Returns file name → text, sorted by name.
 */
export function schemaFiles(modules) {
  const out = new Map();
  for (const [file, exports] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [name, value] of Object.entries(exports).sort(([a], [b]) => a.localeCompare(b))) {
      // Duck-typed rather than instanceof: the contracts and this script may load two copies of zod's module.
      if (!/^[a-z][A-Za-z0-9]*Result$/.test(name) || typeof value !== 'object' || value === null || !('_zod' in value)) continue;
      const verb = verbOf(name);
      const fileName = `${verb}.json`;
      if (out.has(fileName)) throw new Error(`${file}: ${name} gives ${fileName}, which another contract already writes`);
      const { $schema, ...rest } = z.toJSONSchema(value, { target: 'draft-2020-12', io: 'output' });
      const schema = { $schema, title: `specmap ${verb} result`, ...rest };
      out.set(fileName, `${JSON.stringify(schema, null, 2)}\n`);
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** Imports every contract module in `dir` (.js files; .ts too when a TypeScript-aware runner imports this). */
export async function loadContracts(dir, ext = '.js') {
  const modules = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith(ext) && !n.endsWith('.d.ts')).sort()) {
    modules[f.slice(0, -ext.length)] = await import(pathToFileURL(join(dir, f)).href);
  }
  return modules;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = join(root, 'docs', 'schemas');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = schemaFiles(await loadContracts(join(root, 'dist', 'api', 'contract')));
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const f of readdirSync(SCHEMAS_DIR)) if (f.endsWith('.json') && !files.has(f)) rmSync(join(SCHEMAS_DIR, f));
  let changed = 0;
  for (const [f, text] of files) {
    const path = join(SCHEMAS_DIR, f);
    let old;
    try { old = readFileSync(path, 'utf8'); } catch { old = undefined; }
    if (old !== text) { writeFileSync(path, text); changed += 1; }
  }
  console.log(`docs/schemas: ${files.size} schemas, ${changed} written`);
}
