import { z } from 'zod';

export const endResult = z.object({
  session_id: z.string(),
  duration_minutes: z.number(),
  files_created: z.number(),
  files_modified: z.number(),
  checkpoints: z.number(),
  rulemap_score: z.number().nullable(),
  archive: z.string().describe('The archived session folder, relative to the project root.'),
  backup: z.object({
    path: z.string(),
    entries: z.number().describe('Entries in the ZIP: files and folders.'),
    bytes: z.number().describe("The ZIP's size on disk."),
    pending: z.boolean().optional().describe('True when the ZIP was queued, to be written by the next command.'),
  }).nullable().describe('null when the backup was skipped.'),
  summary_file: z.string(),
  tracking_file: z.string(),
  warnings: z.array(z.string()).describe('What the backup left out, one sentence each.'),
});

/** What `end` returns (also `specmap end --json` and MCP session_end). */
export type EndResult = z.infer<typeof endResult>;
