import { z } from 'zod';

const agent = z.enum(['claude', 'codex', 'gemini', 'cursor', 'copilot']).describe('The agent whose hooks file this is.');
const file = z.string().describe("The agent's hooks file, relative to the project root (.claude/settings.json, .codex/hooks.json, .gemini/settings.json, .cursor/hooks.json, .github/hooks/specmap.json).");

export const agentHooksInstallResult = z.object({
  agents: z.array(z.object({
    agent,
    file,
    added: z.array(z.string()).describe("The agent's events whose specmap hook was added."),
    already_present: z.array(z.string()).describe('Events that already had it, exactly as specmap writes it.'),
    updated: z.array(z.string()).describe('Events whose specmap hook had another command spelling, matcher or filter (an older install) and now has this one.'),
  })),
  mcp: z.object({
    file: z.string().describe('.mcp.json, relative to the project root.'),
    action: z.enum(['added', 'present', 'kept']).describe('kept: a different "specmap" server entry (yours) was left alone.'),
  }).nullable().describe('Claude Code only: the specmap MCP server in .mcp.json; null when Claude Code was not set up.'),
});

export const agentHooksStatusResult = z.object({
  agents: z.array(z.object({
    agent,
    file,
    exists: z.boolean().describe('Whether the file exists at all.'),
    events: z.array(z.object({
      event: z.string(),
      state: z.enum(['installed', 'outdated', 'missing']).describe("outdated: specmap's hook is there with another command spelling, matcher or filter; `init` updates it in place."),
    })),
  })),
  mcp: z.object({
    file: z.string(),
    state: z.enum(['present', 'different', 'missing']).describe('different: a "specmap" server entry other than the one specmap writes (yours).'),
  }).nullable().describe('Claude Code only: the specmap MCP server in .mcp.json.'),
});

export const agentHooksUninstallResult = z.object({
  agents: z.array(z.object({
    agent,
    file,
    removed: z.array(z.string()).describe("Events specmap's hooks were removed from (with the groups and events that held nothing else)."),
    deleted: z.boolean().describe('The file held nothing but what specmap had put there, and was removed.'),
  })),
  mcp: z.object({
    file: z.string(),
    action: z.enum(['removed', 'kept', 'absent']).describe('kept: the "specmap" server entry is not the one specmap writes (yours), so it stays.'),
    deleted: z.boolean().describe('.mcp.json held nothing else and was removed.'),
  }).nullable().describe('Claude Code only: the specmap MCP server in .mcp.json.'),
});

/** What `installAgentHooks` returns (the `agents` and `mcp` fields of `specmap init --<agent> --json`). */
export type AgentHooksInstallResult = z.infer<typeof agentHooksInstallResult>;
/** What `agentHooksStatus` returns (`specmap init --<agent> --status --json`). */
export type AgentHooksStatusResult = z.infer<typeof agentHooksStatusResult>;
/** What `uninstallAgentHooks` returns (`specmap init --<agent> --uninstall --json`). */
export type AgentHooksUninstallResult = z.infer<typeof agentHooksUninstallResult>;
