import { readFileSync } from 'node:fs';

/** specmap's version, from its package.json (for --version and the MCP server's handshake). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
