import { z } from 'zod';

export const forkedFrom = z.object({
  session_id: z.string().describe('The parent session.'),
  checkpoint_id: z.string().describe('The checkpoint of the parent the fork starts from.'),
  commit: z.string().describe("That checkpoint's commit (the parent of the fork's base commit)."),
});

export const forkResult = z.object({
  session_id: z.string().describe('The new session: the next free number of the day across every worktree and refs/sessions/*.'),
  focus: z.string(),
  agent: z.string(),
  date: z.string().describe('YYYY-MM-DD, local time.'),
  start_time: z.string().describe('HH:MM:SS, local time.'),
  worktree: z.string().describe('The new linked worktree (absolute), checked out at the base commit with a detached HEAD: run the agent there.'),
  workspace: z.string().describe('The session folder, relative to the new worktree, with a trailing slash.'),
  git_ref: z.string().describe('refs/sessions/<id>: the base commit, then the checkpoint chain.'),
  base_commit: z.string().describe("A commit on top of the checkpoint with its project state (the parent's workspace left out) and a Forked-From trailer."),
  forked_from: forkedFrom,
  parent_worktree: z.string().describe('The worktree the parent session lives in.'),
});

/** What `fork` returns (also `specmap fork --json`). */
export type ForkResult = z.infer<typeof forkResult>;
export type ForkedFrom = z.infer<typeof forkedFrom>;
