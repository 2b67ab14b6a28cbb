import { z } from 'zod';

export const templateInfo = z.object({
  name: z.string(),
  source: z.enum(['built-in', 'project']),
  description: z.string().describe("What it is for (built-in), or the project folder it comes from."),
  files: z.array(z.string()).describe('Workspace-relative files it writes.'),
});

export const listTemplatesResult = z.object({ templates: z.array(templateInfo) });

/** What `listTemplates` returns (also `specmap template list --json`). */
export type ListTemplatesResult = z.infer<typeof listTemplatesResult>;
