import { z } from 'zod';

/** A daily or milestone backup just written. */
export const backupWritten = z.object({
  kind: z.enum(['daily', 'milestone']),
  name: z.string().describe('The date (YYYY-MM-DD) or the milestone name.'),
  zip: z.string(),
  manifest: z.string().describe('The JSON manifest: every file with its size and SHA-256.'),
  items: z.array(z.string()).describe("The top-level folders and files backed up ('.' for a milestone: the whole project)."),
  files: z.number(),
  bytes: z.number().describe("The files' total size, uncompressed."),
  zip_bytes: z.number().describe("The ZIP's size on disk (what `backup list` shows)."),
  commit: z.string(),
  ref: z.string().describe('The git copy: refs/backups/daily/<date> or refs/tags/milestones/<name>.'),
  updated: z.boolean().describe('True when an earlier backup of the same day (or milestone of the same name) was replaced.'),
});

export const dailyBackupResult = backupWritten.extend({ kind: z.literal('daily') });

/** What `dailyBackup` returns (also `specmap backup daily --json` and MCP create_daily_backup). */
export type DailyBackupResult = z.infer<typeof dailyBackupResult>;
