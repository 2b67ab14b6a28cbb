import { z } from 'zod';
import { dryRunFields } from './dry-run.js';

export const pushResult = z.object({
  remote: z.string(),
  session_ids: z.array(z.string()).describe('The sessions pushed.'),
  refs: z.array(z.object({
    ref: z.string(),
    flag: z.string().describe("git push --porcelain's flag: ' ' fast-forward, '*' new, '=' up to date."),
    summary: z.string(),
  })).describe('What git reported per ref (dry run: what `git push --dry-run` says it would do); a rejected ref is an error (CONFLICT), never a result.'),
  meta_updates: z.array(z.object({ ref: z.string(), from: z.string().nullable(), to: z.string() })).describe(
    "The local refs/specmap/meta/<id> moved first to a commit of the session's workspace folder (dry run: would be; from is null for a new one).",
  ),
  ...dryRunFields,
});

/** What `push` returns (also `specmap push --json`). */
export type PushResult = z.infer<typeof pushResult>;
