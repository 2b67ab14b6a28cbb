import { z } from 'zod';
import { restoreCheckpoint } from '../../../api/restore-checkpoint.js';
import { restoreCheckpointResult } from '../../../api/contract/restore-checkpoint.js';
import { SpecmapError, isSpecmapError } from '../../../shared/errors.js';
import { checkpointRef, count, projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_restore_checkpoint = defineTool('session_restore_checkpoint', {
  title: 'Restore a checkpoint',
  description:
    "Bring back the files of a checkpoint. By default they are written to a separate folder " +
    "(04-agents/sessions/active/<session>-<checkpoint>-restored/) " +
    'so nothing is overwritten; compare and copy from there. With in_place they replace the files in the working ' +
    'tree, after a safety checkpoint of the current state (the result says how to undo). Reads git first, and the ' +
    'session ZIP when the git objects are gone.',
  input: {
    project_path: projectPath,
    session_id: sessionId,
    checkpoint_id: checkpointRef,
    paths: z.array(z.string().min(1)).optional().describe('Only these files or folders, relative to the project root.'),
    in_place: z.boolean().optional().describe('Write into the working tree (after a safety checkpoint).'),
    force: z.boolean().optional().describe("Replace an existing '-restored' folder."),
  },
  output: restoreCheckpointResult.shape,
  annotations: { destructiveHint: true },
  run: async (a, ctx) => {
    const r = await restoreCheckpoint({
      cwd: await projectDir(ctx, a.project_path), session: a.session_id, checkpoint: a.checkpoint_id, paths: a.paths, inPlace: a.in_place, force: a.force,
    }).catch((err: unknown) => {
      if (!isSpecmapError(err) || err.code !== 'CONFLICT' || err.details.kind !== 'exists') throw err;
      throw new SpecmapError(err.code, `${err.message} (pass force: true to replace it)`, err.details);
    });
    const lines = [
      `Restored ${r.session_id}:${r.checkpoint_id} from ${r.source} into ${r.destination === '.' ? 'the working tree' : r.destination} (${count(r.written.length, 'file')})`,
    ];
    if (r.deleted.length > 0) lines.push(`Absent at that checkpoint: ${r.deleted.join(', ')}`);
    for (const x of r.skipped) lines.push(`Skipped: ${x}`);
    if (r.safety) lines.push(`Safety checkpoint: ${r.safety.session_id}:${r.safety.checkpoint_id}; undo with: ${r.safety.undo}`);
    return { text: lines.join('\n'), data: r };
  },
});
