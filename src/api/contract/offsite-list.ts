import { z } from 'zod';

export const offsiteListResult = z.object({
  remote: z.string(),
  backups: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    local: z.enum(['present', 'missing']).describe('Whether the ZIP is in 04-agents/backups/.'),
    remote: z.enum(['present', 'missing', 'incomplete']).describe("'incomplete': the remote has the ZIP without a record of its SHA-256, or the records without the ZIP."),
    same: z.boolean().nullable().describe('The local and the remote records name the same SHA-256; null when either has none.'),
    local_sha256: z.string().nullable(),
    remote_sha256: z.string().nullable(),
    remote_bytes: z.number().nullable(),
  })),
});

/** What `offsiteList` returns (also `specmap backup offsite list --json`). */
export type OffsiteListResult = z.infer<typeof offsiteListResult>;
