import { z } from 'zod';

export const renumberResult = z.object({
  session_id: z.string().describe('The new id.'),
  renumbered_from: z.string().describe('The old id (session.yaml keeps it under the same key).'),
});

/** What `renumber` returns (also `specmap renumber --json`). */
export type RenumberResult = z.infer<typeof renumberResult>;
