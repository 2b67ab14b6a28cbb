import { z } from 'zod';
import { logEntry } from './log.js';

/** One checkpoint as `restore --list-checkpoints` shows it: a log entry without its stat or patch. */
export const checkpointListing = logEntry.omit({ stat: true, patch: true });

export const listCheckpointsResult = z.object({
  session_id: z.string(),
  checkpoints: z.array(checkpointListing).describe('Oldest first.'),
});

/** What `listCheckpoints` returns (also `specmap restore --list-checkpoints --json`). */
export type ListCheckpointsResult = z.infer<typeof listCheckpointsResult>;
