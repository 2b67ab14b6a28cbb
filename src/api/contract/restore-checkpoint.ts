import { z } from 'zod';
import { dryRunFields } from './dry-run.js';

export const restoreCheckpointResult = z.object({
  session_id: z.string(),
  checkpoint_id: z.string(),
  source: z.enum(['git', 'zip', 'copies', 'git+zip']).describe("Where the files came from: git, the session ZIP, or file copies in snapshots/; 'git+zip': git, with each file whose blob git lost (missing or unreadable) from the session ZIP."),
  destination: z.string().describe("The folder written, relative to the project root with a trailing slash, or '.' for the working tree."),
  written: z.array(z.string()),
  deleted: z.array(z.string()).describe('Files absent at that checkpoint: removed in place, left out of a restored folder.'),
  skipped: z.array(z.string()).describe('What was not restored and why, one sentence each.'),
  safety: z
    .object({
      session_id: z.string(),
      checkpoint_id: z.string().describe('Its id (dry run: the id it would get now; the time is part of it).'),
      commit: z.string().nullable().describe('Its commit; null in a dry run, which takes none.'),
      undo: z.string().describe('The command that undoes the restore.'),
    })
    .nullable()
    .describe('In place only: the checkpoint of the working tree taken first.'),
  ...dryRunFields,
});

/** What `restoreCheckpoint` returns (also `specmap restore --restore-checkpoint --json` and MCP session_restore_checkpoint). */
export type RestoreCheckpointResult = z.infer<typeof restoreCheckpointResult>;
