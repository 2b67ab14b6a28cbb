import { z } from 'zod';

export const logEntry = z.object({
  session_id: z.string(),
  checkpoint_id: z.string(),
  number: z.number().describe('1-based position in its session.'),
  date: z.string(),
  time: z.string(),
  description: z.string(),
  agent: z.string(),
  files: z.array(z.string()),
  commit: z.string().nullable(),
  tag: z.string().nullable(),
  in_git: z.boolean().describe('False when the commit is gone from git (restore then reads the session ZIP).'),
  source: z.enum(['git', 'copies', 'zip', 'none']).describe('Where a restore would read the files from.'),
  stat: z.string().optional(),
  patch: z.string().optional(),
});

export const logResult = z.object({
  checkpoints: z.array(logEntry).describe('Newest first, like git log.'),
});

export type LogEntry = z.infer<typeof logEntry>;
/** What `log` returns (also `specmap log --json` and MCP session_log). */
export type LogResult = z.infer<typeof logResult>;
