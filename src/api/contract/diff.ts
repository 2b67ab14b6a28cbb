import { z } from 'zod';

export const diffEndpoint = z.object({ session_id: z.string(), checkpoint_id: z.string(), commit: z.string() });

export const diffResult = z.object({
  from: diffEndpoint,
  to: diffEndpoint.nullable().describe('null: the working tree, as the next checkpoint would see it.'),
  diff: z.string().describe('Unified diff (or a diffstat), as git prints it.'),
});

/** What `diff` returns (also `specmap diff --json` and MCP session_diff). */
export type DiffResult = z.infer<typeof diffResult>;
