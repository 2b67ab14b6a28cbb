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
  discarded: z.object({
    worktree: z.string().describe('The linked worktree removed (absolute).'),
    archive: z.string().describe('The archived session folder, copied into this worktree (relative to its root).'),
    backup: z.string().describe('The session ZIP, verified there and again here, in this worktree.'),
    kept_refs: z.array(z.string()).describe('The refs kept: refs/sessions/<id> (every checkpointed state) and the checkpoint tags.'),
    deleted_ignored: z.array(z.string()).describe('Git-ignored files deleted with the worktree (--force); a wholly ignored folder ends in /.'),
  }).optional().describe("Only with discard: the session's worktree was removed, its record kept here."),
});

/** What `end` returns (also `specmap end --json` and MCP session_end). */
export type EndResult = z.infer<typeof endResult>;
