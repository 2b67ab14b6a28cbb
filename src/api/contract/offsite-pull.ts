import { z } from 'zod';

export const offsiteFetched = z.object({
  kind: z.enum(['session', 'daily', 'milestone']),
  name: z.string(),
  action: z.enum(['fetched', 'present', 'skipped']).describe("'present': the local ZIP is there, nothing was fetched."),
  reason: z.string().nullable().describe('Why it was skipped (failed its SHA-256, another version here, only records on the remote); for a fetched one, what was unusual (taken from replaced/ on the remote, or a damaged local copy moved to 04-agents/backups/damaged/); null otherwise.'),
  files: z.array(z.string()).describe('Files written, project-relative (records first, the ZIP last).'),
});

export const offsitePullResult = z.object({
  remote: z.string(),
  ok: z.boolean().describe('False when a remote backup was skipped: it failed its check or another version of it is here.'),
  backups: z.array(offsiteFetched),
});

/** What `offsitePull` returns (also `specmap backup offsite pull --json`). */
export type OffsitePullResult = z.infer<typeof offsitePullResult>;
