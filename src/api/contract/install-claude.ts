import { z } from 'zod';

export const installClaudeResult = z.object({
  claude: z.object({
    file: z.string().describe('The settings file, relative to the project root (.claude/settings.json).'),
    added: z.array(z.string()).describe('Claude Code events whose specmap hook was added.'),
    already_present: z.array(z.string()).describe('Events that already had it.'),
    updated: z.array(z.string()).describe('Events whose specmap hook had another command or matcher (an older install) and now has this one.'),
  }),
  mcp: z.object({
    file: z.string().describe('.mcp.json, relative to the project root.'),
    action: z.enum(['added', 'present', 'kept']).describe('kept: a different "specmap" server entry (yours) was left alone.'),
  }),
});

/** What `installClaude` returns (the `claude` and `mcp` fields of `specmap init --claude --json`). */
export type InstallClaudeResult = z.infer<typeof installClaudeResult>;
