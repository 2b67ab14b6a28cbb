import { z } from 'zod';

export const pruneBackupsResult = z.object({
  dry_run: z.boolean().describe('True: nothing was deleted; `deleted` is what would go.'),
  deleted: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    paths: z.array(z.string()).describe('The files, folders and refs deleted together.'),
  })),
  held_back: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    reason: z.string().describe('What only this backup holds, so it stayed (one sentence).'),
  })).describe('Past what to keep, but kept as the last copy of something: a session ZIP whose content git and the archived session folder do not all hold (the check `specmap gc` makes).'),
  kept: z.number().describe('Backups left, the held-back ones included.'),
});

/** What `pruneBackups` returns (also `specmap backup prune --json`). */
export type PruneBackupsResult = z.infer<typeof pruneBackupsResult>;
