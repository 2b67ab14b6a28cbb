import { z } from 'zod';

export const checkpointFile = z.object({
  path: z.string().describe('Relative to the project root, POSIX separators.'),
  status: z.enum(['added', 'modified', 'deleted', 'unchanged']),
});

export const checkpointResult = z.object({
  session_id: z.string(),
  checkpoint_id: z.string(),
  time: z.string(),
  description: z.string(),
  commit: z.string().describe('The checkpoint commit (the session ref now points at it).'),
  parent: z.string().describe('The previous tip of the session ref.'),
  tag: z.string().describe('refs/tags/checkpoints/<session>/<checkpoint>.'),
  git_ref: z.string(),
  files: z.array(checkpointFile).describe('The files the checkpoint snapshotted; "unchanged" only for named files that did not change.'),
  manifest: z.string().describe('snapshots/<checkpoint>.yaml, relative to the project root.'),
  skipped_secrets: z.array(z.string()).describe('Secret files (.env, keys; config.yaml `secrets`) left out because they were not named exactly.'),
});

/** What `checkpoint` returns (also `specmap checkpoint --json` and MCP session_checkpoint). */
export type CheckpointResult = z.infer<typeof checkpointResult>;
