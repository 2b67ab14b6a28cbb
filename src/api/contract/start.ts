import { z } from 'zod';

export const startResult = z.object({
  session_id: z.string(),
  focus: z.string(),
  agent: z.string(),
  date: z.string().describe('YYYY-MM-DD, local time.'),
  start_time: z.string().describe('HH:MM:SS, local time.'),
  workspace: z.string().describe('The session folder, relative to the project root, with a trailing slash.'),
  paths: z.object({
    artifacts: z.string(), notes: z.string(), decisions: z.string(), snapshots: z.string(), session_file: z.string(),
  }).describe('Where to put things in the session folder, relative to the project root.'),
  git_ref: z.string().describe('refs/sessions/<id>: the base commit, then the checkpoint chain.'),
  base_commit: z.string(),
  empty_base: z.boolean().describe('True when the repository had no commits and an empty root commit was written as the base.'),
  initialized: z.array(z.string()).describe('Layout folders created because the project was not set up yet.'),
  existing: z.boolean().describe("True when metadata.agent_session_id named a conversation that already had its session: that one was named and focused, no second one started."),
});

/** What `start` returns (also `specmap start --json` and MCP session_start). */
export type StartResult = z.infer<typeof startResult>;
