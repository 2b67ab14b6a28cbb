import { init, type InitResult } from '../../../api/init.js';
import { installClaude, type InstallClaudeResult } from '../../../api/install-claude.js';
import type { CommandContext } from '../output.js';

export function renderInit(r: InitResult): string {
  const lines = [`✅ specmap initialised in ${r.root}`];
  for (const d of r.created_dirs) lines.push(`📁 created ${d}/`);
  if (r.created_dirs.length === 0) lines.push('📁 layout already present');
  if (r.gitignore_updated) lines.push('🙈 added /04-agents/backups/ to .gitignore (ZIP backups stay out of history)');
  return lines.join('\n');
}

export function renderClaude(r: InstallClaudeResult['claude']): string {
  if (r.added.length === 0 && r.updated.length === 0) return `🤖 ${r.file}: specmap's Claude Code hooks are already there`;
  const parts = [r.added.length > 0 ? `added specmap hooks for ${r.added.join(', ')}` : '', r.updated.length > 0 ? `updated the specmap hooks of ${r.updated.join(', ')}` : ''];
  return `🤖 ${r.file}: ${parts.filter(Boolean).join('; ')}`;
}

export function renderMcp(r: InstallClaudeResult['mcp']): string {
  if (r.action === 'added') return `🔌 ${r.file}: added the specmap MCP server`;
  if (r.action === 'present') return `🔌 ${r.file}: the specmap MCP server is already there`;
  return `🔌 ${r.file}: kept your own "specmap" server entry as it is`;
}

export async function run(ctx: CommandContext, opts: { claude?: boolean; hookCommand?: string; mcpCommand?: string }): Promise<void> {
  const result = await init({ cwd: ctx.cwd });
  if (!opts.claude) {
    ctx.out.result(result, renderInit);
    return;
  }
  const setup = await installClaude({ cwd: ctx.cwd, hookCommand: opts.hookCommand, mcpCommand: opts.mcpCommand });
  ctx.out.result({ ...result, ...setup }, (r) => `${renderInit(r)}\n${renderClaude(r.claude)}\n${renderMcp(r.mcp)}`);
}
