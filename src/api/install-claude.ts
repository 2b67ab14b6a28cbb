import { installClaudeHooks, installMcpConfig } from '../domain/agent/claude-setup.js';
import type { InstallClaudeResult } from './contract/install-claude.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { InstallClaudeResult } from './contract/install-claude.js';

export interface InstallClaudeOptions extends ProjectOptions {
  /** The command Claude Code runs for each hook event, written as given (default: `specmap agent-hook claude`, guarded so it does nothing where specmap is not installed). */
  hookCommand?: string;
  /** The command line .mcp.json starts the MCP server with (default `specmap mcp`). */
  mcpCommand?: string;
}

/**
 * Sets a project up for Claude Code: specmap's hooks merged into .claude/settings.json and the specmap MCP server
 * into .mcp.json. Both merge: other settings, hooks and servers stay; nothing is added twice; a file that is not
 * valid JSON is CORRUPT_DATA and left as it is.
 *
 * @example
 * await installClaude({ cwd: '/repo' });
 * // → { claude: { file: '.claude/settings.json', added: ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd'], already_present: [], updated: [] },
 * //     mcp: { file: '.mcp.json', action: 'added' } }
 */
export async function installClaude(opts: InstallClaudeOptions = {}): Promise<InstallClaudeResult> {
  return transaction(opts, 'write', ({ project }) => {
    const hooks = installClaudeHooks(project, opts.hookCommand);
    const mcp = installMcpConfig(project, opts.mcpCommand);
    return { claude: { file: hooks.file, added: hooks.added, already_present: hooks.alreadyPresent, updated: hooks.updated }, mcp };
  });
}
