import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { PACKAGE_ROOT } from '../../shared/package-root.js';

type Yaml = typeof import('yaml');
let lib: Yaml | undefined;

/**
 * The yaml package, loaded on first use: importing it costs about 20 ms, and most commands never parse YAML, since
 * session.yaml is read from its parsed cache (session-file.ts) and written by yaml-emit.ts. Parse through
 * `parseYaml` below, which carries the limits; this is for the package's type guards and tests.
 */
export function yamlLib(): Yaml {
  lib ??= createRequire(`${PACKAGE_ROOT}package.json`)('yaml') as Yaml;
  return lib;
}

/**
 * The largest YAML file specmap reads (session.yaml, config.yaml, a checkpoint manifest): 8 MiB. A session of
 * 10,000 checkpoints of 20 files each is about 4 MiB; a file past this is someone else's, and parsing 60 MB took
 * 20 s and 2.7 GB.
 */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;

/**
 * How many alias expansions one document may make. specmap never writes an alias; a hand-written file may have a
 * few. Nested aliases (a "billion laughs" document) would expand exponentially: past this many the file is refused.
 */
export const MAX_YAML_ALIASES = 100;

/** Why a YAML text was refused: `line` when the parser knows it. */
export interface YamlProblem {
  message: string;
  line?: number;
}

/**
 * The one YAML parse: `text` to plain data, or a CORRUPT_DATA error naming `file` (with the line of a syntax
 * error). Texts past MAX_YAML_BYTES and documents expanding more than MAX_YAML_ALIASES aliases are refused the same
 * way (details.kind 'yaml-too-large' / 'yaml-aliases'), never an internal error. `isMap` says whether the top level
 * was a mapping (callers that need one check it without a second parse).
 */
export function parseYaml(text: string, file: string): { value: unknown; isMap: boolean } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) throw tooLarge(file, bytes);
  const y = yamlLib();
  const doc = y.parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const msg = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new SpecmapError('CORRUPT_DATA', `${file}${line ? `:${line}` : ''}: invalid YAML: ${msg}`, { kind: 'yaml-syntax', file, ...(line ? { line } : {}) });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb (and for an alias to an anchor it has not seen).
    const why = /excessive alias count/i.test((err as Error).message)
      ? `more than ${MAX_YAML_ALIASES} alias expansions (a YAML "billion laughs" document?)`
      : (err as Error).message.split('\n')[0]!;
    throw new SpecmapError('CORRUPT_DATA', `${file}: invalid YAML: ${why}`, { kind: 'yaml-aliases', file });
  }
  return { value, isMap: y.isMap(doc.contents) };
}

/** The error for a YAML file past MAX_YAML_BYTES (also thrown by readers that check the size before reading). */
export function tooLarge(file: string, bytes: number): SpecmapError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new SpecmapError('CORRUPT_DATA', `${file}: too large to read (${mib(bytes)}; the limit is ${mib(MAX_YAML_BYTES)})`, { kind: 'yaml-too-large', file, bytes });
}

/**
 * A YAML file's text, refused before it is read when it is past MAX_YAML_BYTES (a 60 MB session.yaml took 20 s and
 * 2.7 GB to list). The size is taken from the open file, so a file swapped in between is measured too.
 */
export function readYamlText(path: string, displayName: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError('read', displayName, err);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_YAML_BYTES) throw tooLarge(displayName, size);
    return readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof SpecmapError) throw err;
    throw ioError('read', displayName, err);
  } finally {
    closeSync(fd);
  }
}
