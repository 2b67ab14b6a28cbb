import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../shared/package-root.js';

/** Set by the bundler (scripts/bundle.mjs) to package.json's version; absent when running from the sources. */
declare const __SPECMAP_VERSION__: string | undefined;

/** specmap's version, from its package.json (for --version and the MCP server's handshake). */
export function version(): string {
  if (typeof __SPECMAP_VERSION__ === 'string') return __SPECMAP_VERSION__;
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string };
  return pkg.version;
}
