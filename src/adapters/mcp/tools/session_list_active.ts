import { z } from 'zod';
import { listSessions } from '../../../api/list-sessions.js';
import { listSessionsResult } from '../../../api/contract/list-sessions.js';
import { count, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_list_active = defineTool('session_list_active', {
  title: 'List active sessions',
  description:
    'List the sessions that are in progress (with include_archived, the completed ones too). Call it when you do ' +
    'not know the session id, or to resume work: an active session for your task can be continued.',
  input: {
    project_path: projectPath,
    include_archived: z.boolean().optional().describe('Also list completed (archived) sessions.'),
  },
  output: listSessionsResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await listSessions({ cwd: await projectDir(ctx, a.project_path), all: a.include_archived });
    const what = a.include_archived ? 'session' : 'active session';
    const lines = r.sessions.length === 0
      ? [`No ${what}s.`]
      : [`${count(r.sessions.length, what)}:`, ...r.sessions.map((s) => `- ${s.session_id} (${s.status}, ${count(s.checkpoints, 'checkpoint')}): ${s.focus}`)];
    for (const p of r.problems) lines.push(`Problem: ${p}`);
    return { text: lines.join('\n'), data: r };
  },
});
