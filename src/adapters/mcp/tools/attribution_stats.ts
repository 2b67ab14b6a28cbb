import { z } from 'zod';
import { stats } from '../../../api/stats.js';
import { statsResult } from '../../../api/contract/stats.js';
import { count, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

const share = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);

export const attribution_stats = defineTool('attribution_stats', {
  title: 'Share of lines agents wrote',
  description:
    "How many of the lines committed in HEAD's history agents wrote and how many people did, in total, per commit, " +
    'per session and per file (from the attribution notes, refs/notes/specmap).',
  input: {
    project_path: projectPath,
    since: z.string().min(1).max(40).optional().describe('Only commits from this local date (YYYY-MM-DD) on. Omitted: all.'),
  },
  output: statsResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await stats({ cwd: await projectDir(ctx, a.project_path), since: a.since });
    const t = r.total;
    const agents = Object.entries(t.agents).map(([k, v]) => `${k} ${v}`).join(', ');
    const text = [
      `${count(t.commits, 'attributed commit')}${r.since ? ` since ${r.since}` : ''}: ${t.ai_lines} lines by agents${agents ? ` (${agents})` : ''}, ${t.human_lines} by people, agent share ${share(t.ai_share)}`,
      ...r.sessions.map((s) => `- ${s.session_id}: ${count(s.commits, 'commit')}, ${s.ai_lines} agent / ${s.human_lines} human lines`),
    ].join('\n');
    return { text, data: r };
  },
});
