import { z } from 'zod';
import { dryRunFields } from './dry-run.js';

export const mergeResult = z.object({
  session_id: z.string(),
  branch: z.string(),
  commit: z.string().describe('The new commit on the branch (dry run: the commit the merge would write at this moment; nothing refers to it).'),
  parent: z.string().describe('Where the branch was before.'),
  files: z.array(z.string()).describe('Project paths the commit changes (the session workspace left out).'),
  merged: z.boolean().describe('The branch had moved since the session started, so a three-way merge was needed.'),
  ...dryRunFields,
});

/** What `merge` returns (also `specmap merge --json`). */
export type MergeResult = z.infer<typeof mergeResult>;
