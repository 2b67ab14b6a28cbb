import { z } from 'zod';

export const pushResult = z.object({
  remote: z.string(),
  session_ids: z.array(z.string()).describe('The sessions pushed.'),
  refs: z.array(z.object({
    ref: z.string(),
    flag: z.string().describe("git push --porcelain's flag: ' ' fast-forward, '*' new, '=' up to date."),
    summary: z.string(),
  })).describe('What git reported per ref; a rejected ref is an error (CONFLICT), never a result.'),
});

/** What `push` returns (also `specmap push --json`). */
export type PushResult = z.infer<typeof pushResult>;
