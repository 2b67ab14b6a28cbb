#!/usr/bin/env node
// Writes the Claude Code plugin's generated files from the built code (dist/) and package.json: `npm run plugin`.
// `--check` writes nothing and exits 1 naming the files that differ (the unit test runs it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (rel) => pathToFileURL(join(root, 'dist', rel)).href;
if (!existsSync(join(root, 'dist/domain/agent/claude-setup.js'))) {
  process.stderr.write('plugin: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { claudeHooksConfig } = await import(dist('domain/agent/claude-setup.js'));
const { SKILLS } = await import(dist('domain/agent/skill-text.js'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Claude Code sets CLAUDE_PLUGIN_ROOT in the hook's environment and runs the command with bash: the double quotes
// keep a plugin folder with spaces one word.
const CLI = 'node "${CLAUDE_PLUGIN_ROOT}/dist/bin/specmap.cjs"';
const author = { name: 'specmap maintainers' };

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const files = {
  '.claude-plugin/plugin.json': json({
    name: 'specmap',
    version: pkg.version,
    description: `${pkg.description}: a session per conversation, files tracked, a checkpoint per turn, the session archived with a ZIP when Claude Code exits; the specmap MCP server and skill.`,
    author,
    license: pkg.license,
    keywords: ['sessions', 'checkpoints', 'git', 'backup', 'mcp'],
    // Inline, not a root .mcp.json: that file would also be read as this repository's own project config.
    mcpServers: { specmap: { command: 'node', args: ['${CLAUDE_PLUGIN_ROOT}/dist/bin/specmap.cjs', 'mcp'] } },
  }),
  '.claude-plugin/marketplace.json': json({
    name: 'specmap',
    owner: author,
    metadata: { description: 'The specmap plugin, from this folder (the npm package or a built clone).' },
    plugins: [{ name: 'specmap', source: './', description: pkg.description, version: pkg.version, author, license: pkg.license }],
  }),
  'hooks/hooks.json': json({ hooks: claudeHooksConfig(`${CLI} agent-hook`, 'sh "${CLAUDE_PLUGIN_ROOT}/bin/specmap-record" claude') }),
};
for (const [name, text] of Object.entries(SKILLS)) files[`skills/${name}/SKILL.md`] = text;

const stale = [];
for (const [rel, text] of Object.entries(files)) {
  const path = join(root, rel);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale.push(rel);
  if (process.argv.includes('--check')) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    process.stderr.write(`plugin: out of date (run npm run build && npm run plugin): ${stale.join(', ')}\n`);
    process.exit(1);
  }
} else if (stale.length > 0) process.stdout.write(`plugin: wrote ${stale.join(', ')}\n`);
