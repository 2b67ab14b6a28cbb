import { z } from 'zod';
import { diff } from '../../../api/diff.js';
import { diffResult } from '../../../api/contract/diff.js';
import { checkpointRef, projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_diff = defineTool('session_diff', {
  title: 'Diff checkpoints',
  description:
    'What changed between two checkpoints of a session, or between a checkpoint and the files as they are now, ' +
    'as a unified diff. With no checkpoints given it shows what changed since the newest checkpoint.',
  input: {
    project_path: projectPath,
    session_id: sessionId,
    from: checkpointRef.default('~0'),
    to: checkpointRef.optional().describe('Another checkpoint; omitted, the working tree as a checkpoint would see it now.'),
    stat: z.boolean().optional().describe('Only a diffstat, not the full patch.'),
  },
  output: diffResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await diff({
      cwd: await projectDir(ctx, a.project_path),
      from: { session: a.session_id, checkpoint: a.from },
      to: a.to === undefined ? undefined : { session: a.session_id, checkpoint: a.to },
      stat: a.stat,
    });
    const head = `${r.from.session_id}:${r.from.checkpoint_id} -> ${r.to ? `${r.to.session_id}:${r.to.checkpoint_id}` : 'working tree'}`;
    return { text: r.diff.trim() === '' ? `${head}: no changes` : `${head}\n${r.diff.trimEnd()}`, data: r };
  },
});
