import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let lib: Yaml | undefined;

/**
 * The yaml package, loaded on first use: importing it costs about 20 ms, and most commands never parse YAML, since
 * session.yaml is read from its parsed cache (session-file.ts) and written by yaml-emit.ts.
 */
export function yamlLib(): Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as Yaml;
  return lib;
}
