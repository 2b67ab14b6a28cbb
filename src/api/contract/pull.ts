import { z } from 'zod';

export const pullResult = z.object({
  remote: z.string(),
  sessions: z.array(z.object({
    session_id: z.string(),
    local: z.boolean().describe('This clone has a session with the same id.'),
  })).describe('Every session the remote has, fetched into refs/remotes/<remote>/.'),
});

/** What `pull` returns (also `specmap pull --json`). */
export type PullResult = z.infer<typeof pullResult>;
