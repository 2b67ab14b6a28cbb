import { z } from 'zod';

/** One checkpoint as `restore --list-checkpoints` shows it (the fields of MCP session_log's entries). */
export const checkpointListing = z.object({
  session_id: z.string(),
  checkpoint_id: z.string(),
  number: z.number().describe('1-based position in the session.'),
  date: z.string(),
  time: z.string(),
  description: z.string(),
  agent: z.string(),
  files: z.array(z.string()),
  commit: z.string().nullable(),
  tag: z.string().nullable(),
  in_git: z.boolean().describe('False when the commit is gone from git (restore then reads the session ZIP).'),
  source: z.enum(['git', 'copies', 'zip', 'none']).describe('Where a restore would read the files from.'),
});

export const listCheckpointsResult = z.object({
  session_id: z.string(),
  checkpoints: z.array(checkpointListing).describe('Oldest first.'),
});

/** What `listCheckpoints` returns (also `specmap restore --list-checkpoints --json`). */
export type ListCheckpointsResult = z.infer<typeof listCheckpointsResult>;
