// README's configuration reference against the code that reads the settings: every key of 04-agents/config.yaml
// that src/domain/project/config.ts parses and every variable src/shared/settings.ts (and the shell hooks) read is
// in its table, and neither table lists one that nothing reads.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const all = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);
const uniq = (xs: string[]) => [...new Set(xs)].sort();

/** The first column of the table under `heading` in README.md (up to the next heading). */
function tableKeys(heading: string): string[] {
  const readme = read('README.md');
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const rest = readme.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/^#{2,3} /m));
  return uniq(all(section, /^\| `([\w.]+)` \|/gm));
}

/** `section.key` (or `key` at the top level) for every key config.ts reads from config.yaml. */
function configKeys(): string[] {
  const src = read('src/domain/project/config.ts');
  const parse = src.slice(src.indexOf('function parseConfigFile('));
  const retention = src.slice(src.indexOf('function parseRetention('), src.indexOf('export const DEFAULT_SCRATCH'));
  expect(parse.length).toBeGreaterThan(100);
  expect(retention.length).toBeGreaterThan(100);
  // `const hooks = (raw.agent_hooks ?? {}) …`: a variable per mapping.
  const sections = new Map([...parse.matchAll(/const (\w+) = \(raw\.(\w+) \?\? \{\}\)/g)].map((m) => [m[1]!, m[2]!]));
  expect(sections.size).toBeGreaterThan(3);
  const keys: string[] = [];
  for (const [variable, name] of sections) for (const key of all(parse, new RegExp(`\\b${variable}\\.(\\w+)`, 'g'))) keys.push(`${name}.${key}`);
  keys.push(...all(parse, /list\('(\w+)'/g));
  const mappings = new Set([...sections.values(), 'retention']);
  keys.push(...all(parse, /\braw\.(\w+)/g).filter((k) => !mappings.has(k)));
  // retention: the counts table and the keys parseRetention reads itself.
  const counts = /const RETENTION_COUNTS = \{([^}]*)\}/.exec(src)?.[1] ?? '';
  keys.push(...all(counts, /(\w+): '/g).map((k) => `retention.${k}`));
  keys.push(...all(retention, /\braw\.(\w+)/g).map((k) => `retention.${k}`));
  expect(parse).toContain('parseRetention(raw.retention)');
  return uniq(keys);
}

/** Every environment variable settings.ts reads or lists, and the SPECMAP_* ones the shell scripts read. */
function envVars(): string[] {
  const src = read('src/shared/settings.ts');
  const keys = /const KEYS = \[([^\]]*)\]/.exec(src)?.[1] ?? '';
  const vars = [...all(keys, /'([A-Z_]+)'/g), ...all(src, /\benv\.([A-Z_]+)/g), ...all(src, /\benv, '([A-Z_]+)'/g)];
  for (const dir of ['hooks', 'bin']) {
    for (const f of readdirSync(join(ROOT, dir))) vars.push(...all(read(`${dir}/${f}`), /\$\{?(SPECMAP_[A-Z_]+)/g));
  }
  return uniq(vars);
}

describe("README's configuration reference", () => {
  it('lists every key of 04-agents/config.yaml that config.ts reads, and no other', () => {
    const keys = configKeys();
    expect(keys).toEqual(expect.arrayContaining(['scratch', 'backup.offsite', 'retention.session_zips', 'retention.drop_unique_safety', 'secrets.defaults']));
    expect(tableKeys('### `04-agents/config.yaml`')).toEqual(keys);
  });

  it('lists every environment variable settings.ts and the shell hooks read, and no other', () => {
    const vars = envVars();
    expect(vars).toEqual(expect.arrayContaining(['SPECMAP_NOW', 'SPECMAP_RCLONE', 'SPECMAP_TEST_KILL_AT', 'NO_COLOR', 'CLAUDE_PROJECT_DIR']));
    expect(tableKeys('### Environment variables')).toEqual(vars);
  });
});
