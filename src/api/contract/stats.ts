import { z } from 'zod';

const counts = {
  ai_lines: z.number().describe('Lines agents wrote.'),
  human_lines: z.number().describe('Lines people wrote (or rewrote).'),
  ai_share: z.number().nullable().describe('ai_lines / (ai_lines + human_lines), 0 to 1; null when there are none.'),
  agents: z.record(z.string(), z.number()).describe('Lines per agent.'),
};

export const statsResult = z.object({
  since: z.string().nullable().describe('Only commits from this local date (YYYY-MM-DD) on; null: all.'),
  total: z.object({ commits: z.number(), ...counts }),
  commits: z.array(z.object({
    commit: z.string(),
    time: z.string().describe('ISO-8601 committer time.'),
    subject: z.string(),
    session_id: z.string().nullable().describe('The session the commit was recorded in.'),
    ...counts,
  })).describe("Commits of HEAD's history with an attribution note, newest first; the lines each brought in (a merge: only its own, not those of the branch it merged, which count in their own commits)."),
  sessions: z.array(z.object({ session_id: z.string(), commits: z.number(), ...counts })).describe(
    "Per session: its agents' lines wherever they were committed, and the person's lines in the commits recorded in it.",
  ),
  files: z.array(z.object({ path: z.string(), ...counts })),
});

/** What `stats` returns (also `specmap stats --json`). */
export type StatsResult = z.infer<typeof statsResult>;
