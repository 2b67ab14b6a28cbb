import { z } from 'zod';
import { logEntry } from './log.js';

export const showCheckpointResult = logEntry.extend({
  prompts: z.array(z.string()).optional().describe('The agent prompts that led to the checkpoint, when asked for.'),
});

/** What `showCheckpoint` returns (also `specmap show <session>:<checkpoint> --json`). */
export type ShowCheckpointResult = z.infer<typeof showCheckpointResult>;
