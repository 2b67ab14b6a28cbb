import { z } from 'zod';
import { end } from '../../../api/end.js';
import { endResult } from '../../../api/contract/end.js';
import { count, projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_end = defineTool('session_end', {
  title: 'End the session',
  description:
    'End a session when the task is done: records the final metrics and RULEMAP score, writes the session ZIP ' +
    'backup, moves the folder to sessions/archive/ and updates the daily summary. The session cannot take ' +
    'checkpoints afterwards, so checkpoint first if there is unsaved work.',
  input: {
    project_path: projectPath,
    session_id: sessionId,
    rulemap_score: z.number().min(0).max(10).optional().describe('How well the work followed the RULEMAP method, 0 to 10.'),
    create_backup: z.boolean().default(true).describe('Write the session ZIP backup (default true).'),
  },
  output: endResult.shape,
  run: async (a, ctx) => {
    const r = await end({ cwd: await projectDir(ctx, a.project_path), session: a.session_id, score: a.rulemap_score, backup: a.create_backup });
    const lines = [
      `Session completed: ${r.session_id} (${count(r.duration_minutes, 'minute')}, ${r.files_created} created, ${r.files_modified} modified, ${count(r.checkpoints, 'checkpoint')})`,
      `RULEMAP score: ${r.rulemap_score === null ? 'not given' : `${r.rulemap_score}/10`}`,
      `Backup: ${r.backup ? r.backup.path : 'skipped'}`,
      `Archived: ${r.archive}`,
      ...r.warnings.map((w) => `Warning: ${w}`),
    ];
    return { text: lines.join('\n'), data: r };
  },
});
