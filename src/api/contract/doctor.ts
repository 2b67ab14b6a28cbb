import { z } from 'zod';
import { dryRunFields } from './dry-run.js';

export const doctorResult = z.object({
  findings: z.array(z.object({
    check: z.string().describe('A stable name for the kind of problem: missing-ref, orphan-ref, temp-file, lost-backup-export …'),
    subject: z.string().describe('What it is about: a session id, a path, a ref.'),
    message: z.string(),
    fixable: z.boolean().describe('Whether fix knows a repair that loses nothing (dry run: fix would make it).'),
    fixed: z.boolean(),
  })),
  fixed: z.number(),
  remaining: z.number().describe('Problems left after the run (unfixable, or found without fix).'),
  ...dryRunFields,
});

/** What `doctor` returns (also `specmap doctor --json`). */
export type DoctorResult = z.infer<typeof doctorResult>;
