import { z } from 'zod';
import { offsiteProblem } from './offsite-push.js';

export const offsiteVerifyResult = z.object({
  remote: z.string(),
  ok: z.boolean().describe('False when any backup is damaged or missing on the remote, or differs between here and there.'),
  results: z.array(z.object({
    kind: z.enum(['session', 'daily', 'milestone']),
    name: z.string(),
    ok: z.boolean(),
    remote: z.enum(['match', 'mismatch', 'missing', 'not-recorded']).describe("The remote ZIP, downloaded and hashed, against the remote's record."),
    local: z.enum(['same', 'differs', 'missing', 'only-local']).describe("The local copy against the remote one: 'missing' (not here: fine, the remote holds it), 'only-local' (the remote has none)."),
    problems: z.array(offsiteProblem),
  })),
  notes: z.array(z.string()).describe('What was not or could not be checked; not failures.'),
});

/** What `offsiteVerify` returns (also `specmap backup offsite verify --json`). */
export type OffsiteVerifyResult = z.infer<typeof offsiteVerifyResult>;
