import { z } from 'zod';
import { forkedFrom } from './fork.js';

const fileLines = {
  path: z.string(),
  added: z.number().nullable().describe('Lines added; null for a binary file.'),
  removed: z.number().nullable().describe('Lines removed; null for a binary file.'),
};

export const comparedSession = z.object({
  session_id: z.string(),
  state: z.enum(['active', 'archive']),
  status: z.string(),
  focus: z.string(),
  agent: z.string(),
  worktree: z.string().describe('The worktree (absolute) whose 04-agents/ holds the session.'),
  forked_from: forkedFrom.nullable().describe('The checkpoint it was forked from (specmap fork); null for a session started with specmap start.'),
  base_commit: z.string(),
  tip: z.string().describe('The final state compared: the tip of refs/sessions/<id> (its last checkpoint).'),
  checkpoints: z.number(),
  files: z.array(z.object({ ...fileLines, status: z.enum(['A', 'M', 'D', 'T']).describe('Added, modified, deleted, type changed.') }))
    .describe("Project files changed from the base commit to the last checkpoint (specmap's own 04-agents/ and TRACKING.md left out)."),
  files_touched: z.number(),
  lines_added: z.number(),
  lines_removed: z.number(),
  rulemap_score: z.number().nullable(),
  duration_minutes: z.number().describe('From the start to the end (to now while the session is active).'),
  not_checkpointed: z.array(z.string()).describe('Files in its worktree that differ from its last checkpoint: not part of the comparison (active sessions only).'),
  run: z.object({
    command: z.string(),
    exit_code: z.number().nullable().describe('null when a signal ended it.'),
    signal: z.string().nullable(),
    timed_out: z.boolean(),
    duration_ms: z.number(),
    output_tail: z.string().describe('The last lines it printed (stdout and stderr).'),
    ran_in: z.enum(['worktree', 'checkout']).describe("Where it ran: the session's worktree, which held exactly its last checkpoint, or a temporary checkout of that checkpoint (removed afterwards; no ignored files such as installed dependencies)."),
  }).nullable().describe("The --run command, run through the shell at the session's last checkpoint; null without one."),
});

export const finalStateDiff = z.object({
  from: z.string().describe('A session id.'),
  to: z.string().describe('A later session id of the list.'),
  files: z.array(z.object(fileLines)).describe("Project files whose final states differ (specmap's own left out)."),
  files_changed: z.number(),
  lines_added: z.number(),
  lines_removed: z.number(),
  patch: z.string().optional().describe('The unified diff from `from` to `to` (with patch: true).'),
});

export const compareResult = z.object({
  sessions: z.array(comparedSession).describe('In the order given.'),
  diffs: z.array(finalStateDiff).describe('Every pair of final states: the first session against each later one, and so on.'),
});

/** What `compare` returns (also `specmap compare --json`). */
export type CompareResult = z.infer<typeof compareResult>;
export type ComparedSession = z.infer<typeof comparedSession>;
