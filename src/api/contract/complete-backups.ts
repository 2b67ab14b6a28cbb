import { z } from 'zod';

export const completeBackupsResult = z.object({
  backups: z.array(z.object({
    path: z.string().describe('The session ZIP written, project-relative.'),
    entries: z.number(),
    bytes: z.number(),
    warnings: z.array(z.string()),
  })).describe('The owed session ZIPs written now; empty when none was owed.'),
});

/** What `completeBackups` returns (also `specmap complete-backups --json`). */
export type CompleteBackupsResult = z.infer<typeof completeBackupsResult>;
