import { z } from 'zod';

export const backupVerified = z.object({
  kind: z.enum(['session', 'daily', 'milestone']),
  name: z.string(),
  zip: z.string(),
  ok: z.boolean(),
  files: z.number(),
  archive: z
    .enum(['match', 'mismatch', 'not-recorded', 'none'])
    .describe("The whole ZIP against the SHA-256 recorded when it was written ('none' for plain folder copies)."),
  problems: z.array(z.object({ path: z.string().describe("The file inside the backup, the archive, or '' for the whole."), problem: z.string() })),
  notes: z.array(z.string()).describe('What could not be checked; not failures.'),
});

export const verifyBackupsResult = z.object({
  ok: z.boolean().describe('False when any backup is damaged.'),
  results: z.array(backupVerified),
});

/** What `verifyBackups` returns (also `specmap backup verify --json` and MCP backup_verify). */
export type VerifyBackupsResult = z.infer<typeof verifyBackupsResult>;
