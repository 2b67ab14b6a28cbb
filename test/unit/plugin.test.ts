import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claudeHooksConfig } from '../../src/domain/agent/claude-setup.js';
import { SKILLS } from '../../src/domain/agent/skill-text.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

describe('the Claude Code plugin files', () => {
  it('are what scripts/plugin.mjs (npm run plugin) makes from the built code now (run it after changing the hooks or the skill)', () => {
    const r = spawnSync(process.execPath, ['scripts/plugin.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('hold the hooks block of claudeHooksConfig and the text of SKILLS, from the source', () => {
    expect(JSON.parse(read('hooks/hooks.json'))).toEqual({ hooks: claudeHooksConfig('node "${CLAUDE_PLUGIN_ROOT}/dist/bin/specmap.cjs" agent-hook', 'sh "${CLAUDE_PLUGIN_ROOT}/bin/specmap-record" claude') });
    for (const [name, text] of Object.entries(SKILLS)) expect(read(`skills/${name}/SKILL.md`)).toBe(text);
  });

  it('declare the MCP server inline, at the package version, and ship in the npm package', () => {
    const pkg = JSON.parse(read('package.json'));
    const plugin = JSON.parse(read('.claude-plugin/plugin.json'));
    expect(plugin).toMatchObject({ name: 'specmap', version: pkg.version, mcpServers: { specmap: { command: 'node', args: ['${CLAUDE_PLUGIN_ROOT}/dist/bin/specmap.cjs', 'mcp'] } } });
    // A root .mcp.json would also be read as this repository's own project MCP config.
    expect(existsSync(join(ROOT, '.mcp.json'))).toBe(false);
    expect(JSON.parse(read('.claude-plugin/marketplace.json')).plugins).toEqual([expect.objectContaining({ name: 'specmap', source: './', version: pkg.version })]);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin', 'hooks', '.claude-plugin', 'skills']));
  });
});
