import { z } from 'zod';

export const agentEventResult = z.object({
  action: z.enum(['started', 'resumed', 'baseline', 'tracked', 'checkpoint', 'unchanged', 'ended', 'ignored', 'queued', 'failed']).describe(
    'baseline: a turn (or the conversation) began and the project state it starts from was taken; unchanged: the turn ended (or a destructive command came) with nothing changed, so no checkpoint; queued: the repository was busy, the next specmap command applies the event; failed: specmap could not do its part (see note); the agent is never disturbed.',
  ),
  session_id: z.string().nullable().describe('The specmap session the event was recorded in.'),
  checkpoint_id: z.string().nullable().describe('The checkpoint a turn end took.'),
  listed_as: z.enum(['created', 'modified']).nullable().describe('Where a written file is listed in the session now.'),
  context: z.string().nullable().describe('Session start: what to tell the agent (which session records it, how to checkpoint).'),
  note: z.string().nullable().describe('One line for the agent hook log; never a failure exit.'),
  backup_deferred: z.boolean().describe("The session ended and its ZIP is owed: run 'specmap complete-backups' (or any command) to write it."),
});

/** What `agentEvent` returns (also `specmap agent-hook --json`). */
export type AgentEventResult = z.infer<typeof agentEventResult>;
