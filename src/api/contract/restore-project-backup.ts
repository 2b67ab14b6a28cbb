import { z } from 'zod';

export const restoreProjectBackupResult = z.object({
  kind: z.enum(['daily', 'milestone']),
  name: z.string(),
  source: z.enum(['zip', 'git', 'folder']).describe("'folder': the plain copies of a Python SpecMap daily backup."),
  destination: z.string().describe('Project-relative with a trailing slash, or absolute when outside the project.'),
  files: z.number(),
  notes: z.array(z.string()).describe('Why the git copy was used, and symlinks left out, one sentence each.'),
  fetched: z.array(z.string()).describe('Files fetched from the off-site copy first (--from), project-relative; empty otherwise.'),
});

/** What `restoreProjectBackup` returns (also `specmap restore --restore-daily|--restore-milestone --json`). */
export type RestoreProjectBackupResult = z.infer<typeof restoreProjectBackupResult>;
