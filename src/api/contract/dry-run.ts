import { z } from 'zod';

/**
 * The fields a dry run adds to a verb's result (`dryRun: true`, `--dry-run`): present only then. The rest of the
 * result is the plan the real run would carry out, worked out by the same code.
 */
export const dryRunFields = {
  dry_run: z.literal(true).optional().describe('Present (true) only in a dry run: nothing was changed; the result is what the real run would do.'),
  queued_work: z.array(z.string()).optional().describe(
    'Dry run only: work queued by hooks that the real run would settle first (commits to record, agent events, deferred ZIPs), one sentence each; it is not part of the plan above.',
  ),
};
