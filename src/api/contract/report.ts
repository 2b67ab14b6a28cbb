import { z } from 'zod';

export const reportSession = z.object({
  session_id: z.string(),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  status: z.string(),
  focus: z.string(),
  agent: z.string(),
  user: z.string().nullable(),
  duration_minutes: z.number(),
  rulemap_score: z.number().nullable(),
  created: z.array(z.string()),
  modified: z.array(z.string()),
  checkpoints: z.array(z.object({
    checkpoint_id: z.string(),
    time: z.string(),
    description: z.string(),
    files: z.number().describe('How many files the checkpoint snapshotted.'),
  })),
  summary: z.string().describe("The session's summary.md, as written."),
});

export const reportResult = z.object({
  generated_at: z.string().describe('ISO-8601 time the report was made.'),
  since: z.string().nullable(),
  sessions: z.array(reportSession).describe('Every local session (active and archived) from `since` on, oldest first.'),
  per_day: z.array(z.object({ date: z.string(), sessions: z.number(), minutes: z.number() }))
    .describe("Every day from the first session's to the last one's, oldest first; days without sessions have 0 and 0."),
  scores: z.array(z.object({ date: z.string(), session_id: z.string(), score: z.number() })),
  top_files: z.array(z.object({
    path: z.string(),
    sessions: z.number().describe('Sessions that created or modified it.'),
    checkpoints: z.number().describe('Checkpoints that snapshotted it.'),
  })).describe("The 15 most-touched project files (specmap's own, 04-agents/… and TRACKING.md, are left out)."),
  forks: z.array(z.object({
    parent_session_id: z.string().describe('The session the forks were made from (listed first when it still exists).'),
    sessions: z.array(z.object({
      session_id: z.string(),
      forked_at: z.string().nullable().describe('The checkpoint it was forked from; null for the parent.'),
      status: z.string(),
      agent: z.string(),
      worktree: z.string(),
      checkpoints: z.number(),
      files_touched: z.number(),
      lines_added: z.number(),
      lines_removed: z.number(),
      rulemap_score: z.number().nullable(),
      duration_minutes: z.number(),
    })),
    diffs: z.array(z.object({ from: z.string(), to: z.string(), files_changed: z.number(), lines_added: z.number(), lines_removed: z.number() }))
      .describe('Every pair of final states, as specmap compare gives them.'),
  })).describe('Every family of forks (specmap fork) in any worktree with a fork from `since` on, compared side by side as specmap compare does (without --run).'),
  file: z.string().nullable().describe('The HTML report written (absolute path), when one was asked for.'),
});

/** What `report` returns (also `specmap report --json`). */
export type ReportResult = z.infer<typeof reportResult>;
