import { z } from 'zod';
import { checkpoint } from '../../../api/checkpoint.js';
import { checkpointResult } from '../../../api/contract/checkpoint.js';
import { projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_checkpoint = defineTool('session_checkpoint', {
  title: 'Checkpoint the work',
  description:
    'Save a restorable snapshot of the work so far, as a git commit on the session ref (your index, HEAD and files ' +
    'are not touched). Call it after each working step, before a risky change, and before you stop. With ' +
    'files_to_snapshot it saves just those files or folders; without it, every change since the previous checkpoint.',
  input: {
    project_path: projectPath,
    session_id: sessionId,
    description: z.string().min(1).max(2000).describe('What state the work is in, e.g. "Auth logic implemented, tests pass".'),
    files_to_snapshot: z.array(z.string().min(1)).optional().describe('Files or folders, relative to the project root.'),
    allow_empty: z.boolean().optional().describe('Write the checkpoint even when nothing changed.'),
  },
  output: checkpointResult.shape,
  run: async (a, ctx) => {
    const r = await checkpoint({
      cwd: await projectDir(ctx, a.project_path), session: a.session_id, description: a.description, files: a.files_to_snapshot, allowEmpty: a.allow_empty,
    });
    const files = r.files.length === 0 ? '(none)' : r.files.map((f) => `${f.path} (${f.status})`).join(', ');
    return {
      text: `Checkpoint ${r.checkpoint_id} of ${r.session_id}: "${r.description.split('\n')[0]}"\nCommit ${r.commit.slice(0, 12)} (${r.tag})\nFiles: ${files}`,
      data: r,
    };
  },
});
