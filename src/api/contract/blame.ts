import { z } from 'zod';

export const blameResult = z.object({
  file: z.string().describe('The file, relative to the project root.'),
  rev: z.string().nullable().describe('The revision blamed; null: the file in the working tree.'),
  lines: z.array(z.object({
    line: z.number().describe('1-based line number in the file blamed.'),
    commit: z.string().nullable().describe('The commit that last changed the line; null: not committed yet.'),
    author: z.string(),
    author_time: z.string().nullable().describe('ISO-8601 author time of that commit.'),
    by: z.enum(['ai', 'human', 'unknown', 'uncommitted']).describe(
      "From the commit's Agent Trace note (refs/notes/specmap). unknown: the commit has no note (made with no session active, or before attribution).",
    ),
    agent: z.string().nullable().describe('by ai: the agent that wrote the line.'),
    session_id: z.string().nullable().describe('by ai: the session it was written in.'),
    checkpoint_id: z.string().nullable().describe("by ai: the turn's checkpoint (null: the turn was still running when the line was committed)."),
    content: z.string(),
  })),
  summary: z.object({ ai: z.number(), human: z.number(), unknown: z.number(), uncommitted: z.number() }).describe('Lines of each kind.'),
});

/** What `blame` returns (also `specmap blame --json`). */
export type BlameResult = z.infer<typeof blameResult>;
