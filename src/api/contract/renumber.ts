import { z } from 'zod';
import { dryRunFields } from './dry-run.js';

export const renumberResult = z.object({
  session_id: z.string().describe('The new id.'),
  renumbered_from: z.string().describe('The old id (session.yaml keeps it under the same key).'),
  folder: z.object({ from: z.string(), to: z.string() }).describe('The session folder, moved (project-relative).'),
  refs: z.array(z.object({
    ref: z.string(),
    action: z.enum(['create', 'delete']),
    target: z.string().describe("create: what the new ref points at (a checkpoint tag: the commit it tags, in a new tag object); delete: the ref's value."),
  })).describe('Every ref created or deleted, in order: the new session ref and tags first, the old ones after the folder moved.'),
  ...dryRunFields,
});

/** What `renumber` returns (also `specmap renumber --json`). */
export type RenumberResult = z.infer<typeof renumberResult>;
