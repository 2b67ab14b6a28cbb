import { z } from 'zod';

export const offsiteProblem = z.object({
  path: z.string().describe("The file, relative to 04-agents/backups/ and to the remote root alike; '' for the backup as a whole."),
  problem: z.string(),
});

export const offsitePushResult = z.object({
  remote: z.string().describe('The off-site copy as rclone was given it (a local folder made absolute).'),
  ok: z.boolean().describe('False when rclone check found a sent file missing or different on the remote, or a local ZIP failed its record and was not sent.'),
  backups: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    action: z.enum(['uploaded', 'already-there', 'skipped']).describe("'already-there': the remote's record names the same SHA-256 and its ZIP has the same size."),
    reason: z.string().nullable().describe('Why it was skipped; null otherwise.'),
    files: z.array(z.string()).describe('Files written to the remote, relative to its root (ZIP first, records after it).'),
    sha256: z.string().nullable().describe("The ZIP's recorded SHA-256."),
    bytes: z.number(),
  })),
  replaced_dir: z.string().nullable().describe('Where rclone moved the remote files this push replaced, relative to the remote root (never deleted); null when none was.'),
  replaced: z.array(z.string()).describe('The remote files moved there.'),
  check: z.object({
    files: z.number().describe('Files compared by rclone check --one-way after the upload.'),
    sizes_only: z.boolean().describe('True when the remote keeps no hash in common with local files, so rclone compared sizes (offsite verify hashes every remote ZIP).'),
    problems: z.array(offsiteProblem),
  }),
  notes: z.array(z.string()).describe('Backups that are not sent (plain folder copies), one sentence each.'),
});

/** What `offsitePush` returns (also `specmap backup offsite push --json`). */
export type OffsitePushResult = z.infer<typeof offsitePushResult>;
