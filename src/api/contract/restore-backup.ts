import { z } from 'zod';

export const restoreBackupResult = z.object({
  session_id: z.string(),
  backup: z.string().describe('The session ZIP read, project-relative.'),
  destination: z.string().describe('The folder written (sessions/active/<id>-restored/), project-relative.'),
  files: z.number(),
  fetched: z.array(z.string()).describe('Files fetched from the off-site copy first (--from), project-relative; empty otherwise.'),
});

/** What `restoreBackup` returns (also `specmap restore --restore-backup --json`). */
export type RestoreBackupResult = z.infer<typeof restoreBackupResult>;
