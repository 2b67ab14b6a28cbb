import { z } from 'zod';
import { forkedFrom } from './fork.js';

export const sessionSummary = z.object({
  session_id: z.string(),
  state: z.enum(['active', 'archive', 'remote']),
  remote: z.string().optional().describe('The remote it was fetched from (remote listings only).'),
  user: z.string().optional().describe('Who started it (git "Name <email>"), when recorded.'),
  status: z.string(),
  focus: z.string(),
  agent: z.string(),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  checkpoints: z.number(),
  files_created: z.number(),
  files_modified: z.number(),
  rulemap_score: z.number().nullable(),
  workspace: z.string().describe('The session folder relative to the project root (a ref for remote sessions).'),
  forked_from: forkedFrom.optional().describe('The checkpoint it was forked from (specmap fork).'),
  worktree: z.string().optional().describe('The worktree (absolute) whose folder holds it (with worktrees: true only).'),
});

export const listSessionsResult = z.object({
  sessions: z.array(sessionSummary).describe('Active first, then archived; each oldest first.'),
  problems: z.array(z.string()).describe('Sessions whose session.yaml could not be read, one sentence each.'),
});

export type SessionSummary = z.infer<typeof sessionSummary>;
/** What `listSessions` returns (also `specmap list --json` and MCP session_list_active). */
export type ListSessionsResult = z.infer<typeof listSessionsResult>;
