import { z } from 'zod';
import { log } from '../../../api/log.js';
import { logResult } from '../../../api/contract/log.js';
import { projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_log = defineTool('session_log', {
  title: 'Checkpoint history',
  description:
    "A session's checkpoints, newest first, like `git log`: id, time, description, files and commit. Call it to " +
    'find the checkpoint to compare with or go back to. Without session_id it lists every session, merged by time.',
  input: {
    project_path: projectPath,
    session_id: sessionId.optional(),
    max_count: z.number().int().min(1).max(10000).optional().describe('At most this many checkpoints.'),
    stat: z.boolean().optional().describe('Include a diffstat per checkpoint.'),
    patch: z.boolean().optional().describe('Include the full patch per checkpoint (can be long).'),
  },
  output: logResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await log({
      cwd: await projectDir(ctx, a.project_path), session: a.session_id, all: a.session_id === undefined, limit: a.max_count, stat: a.stat, patch: a.patch,
    });
    const lines = r.checkpoints.length === 0
      ? ['No checkpoints yet.']
      : r.checkpoints.map((e) => `${e.commit ? e.commit.slice(0, 12) : '(no commit) '} ${e.session_id}:${e.checkpoint_id} ${e.date} ${e.time} ${e.description.split('\n')[0]}${e.stat ? `\n${e.stat.trimEnd()}` : ''}${e.patch ? `\n${e.patch.trimEnd()}` : ''}`);
    return { text: lines.join('\n'), data: r };
  },
});
