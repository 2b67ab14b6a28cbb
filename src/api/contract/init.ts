import { z } from 'zod';

export const initResult = z.object({
  root: z.string().describe("Absolute path of the project's working tree."),
  created_dirs: z.array(z.string()).describe('Layout folders that did not exist before (project-relative).'),
  gitignore_updated: z.boolean().describe('True when /04-agents/backups/ or /04-agents/reports/ was added to .gitignore.'),
});

/** What `init` returns (also `specmap init --json`). */
export type InitResult = z.infer<typeof initResult>;
