import { z } from 'zod';

export const trackResult = z.object({
  session_id: z.string(),
  file_path: z.string().describe('Relative to the project root, POSIX separators.'),
  action: z.enum(['created', 'modified']),
  listed_as: z.enum(['created', 'modified']).describe('Where the file is listed now: a file created in this session stays "created".'),
  changed: z.boolean().describe('False when it was already recorded that way.'),
});

/** What `track` returns (also `specmap track --json` and MCP session_track_artifact). */
export type TrackResult = z.infer<typeof trackResult>;
