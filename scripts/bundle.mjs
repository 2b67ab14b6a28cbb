// Bundles the CLI and the git hook entry into CommonJS files under dist/bundle/ (run by `npm run build` after tsc).
// Why a bundle: one file compiles once and, with the launcher's V8 code cache (src/bin/run-bundle.cts), loads in a
// few milliseconds, where 40-50 ES modules cost 25-60 ms to resolve and compile on every start (docs/benchmarks.md).
// zod, yaml and the MCP SDK stay outside: they are loaded only by the commands that need them.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  absWorkingDir: root,
  entryPoints: { specmap: 'src/adapters/cli/main.ts', 'git-hook': 'src/bin/git-hook-main.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['zod', 'yaml', '@modelcontextprotocol/sdk'],
  // import.meta.url, in a bundle two folders below the package root like src/shared/, resolves the same paths.
  define: { 'import.meta.url': '__specmap_bundle_url', __SPECMAP_VERSION__: JSON.stringify(version) },
  banner: { js: 'const __specmap_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
