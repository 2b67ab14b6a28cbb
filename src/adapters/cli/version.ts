import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../shared/package-root.js';

/** specmap's version, from its package.json (for --version and the MCP server's handshake). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string };
  return pkg.version;
}
