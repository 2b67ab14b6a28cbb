import { z } from 'zod';

export const pruneBackupsResult = z.object({
  dry_run: z.boolean().describe('True: nothing was deleted; `deleted` is what would go.'),
  deleted: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    paths: z.array(z.string()).describe('The files, folders and refs deleted together.'),
  })),
  kept: z.number(),
});

/** What `pruneBackups` returns (also `specmap backup prune --json`). */
export type PruneBackupsResult = z.infer<typeof pruneBackupsResult>;
