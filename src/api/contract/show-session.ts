import { z } from 'zod';

export const showSessionResult = z.object({
  session_id: z.string(),
  state: z.enum(['active', 'archive', 'remote']),
  status: z.string(),
  focus: z.string(),
  agent: z.string(),
  user: z.string().optional(),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  end_date: z.string().optional().describe('Only when the session ended on a later day than it started.'),
  workspace: z.string(),
  worktree: z.string().optional().describe("Only for a session of another worktree (a fork's): that worktree's root, which `workspace` is relative to."),
  git_ref: z.string(),
  ref_target: z.string().nullable().describe('The commit the session ref points at (null when it has no git side).'),
  metadata: z.record(z.string(), z.string()),
  artifacts: z.object({ created: z.array(z.string()), modified: z.array(z.string()) }),
  checkpoints: z.array(z.object({
    checkpoint_id: z.string(), time: z.string(), description: z.string(), files: z.array(z.string()), commit: z.string().nullable(),
  })),
  metrics: z.object({
    duration_minutes: z.number().optional(),
    files_created: z.number().optional(),
    files_modified: z.number().optional(),
    checkpoints: z.number().optional(),
  }).describe('As of now; final once the session has ended.'),
  rulemap_score: z.number().nullable(),
  document: z.record(z.string(), z.unknown()).describe('The whole session.yaml, as JSON.'),
});

/** What `showSession` returns (also `specmap show <session> --json` and MCP session_show). */
export type ShowSessionResult = z.infer<typeof showSessionResult>;
