import { diskUsage } from '../../../api/disk-usage.js';
import { diskUsageResult } from '../../../api/contract/disk-usage.js';
import { humanBytes, projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const disk_usage = defineTool('disk_usage', {
  title: 'Disk use of sessions and backups',
  description:
    'What specmap costs on disk: per session its checkpoints, the git objects only its refs hold, its transcript, ' +
    'ZIP and folder; then daily and milestone backups and the loose git objects. Changes nothing; gc frees space.',
  input: {
    project_path: projectPath,
    session_id: sessionId.optional().describe('Only this session (the totals still cover them all). Omitted: every session.'),
  },
  output: diskUsageResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await diskUsage({ cwd: await projectDir(ctx, a.project_path), session: a.session_id });
    const t = r.totals;
    const text = [
      ...(r.sessions.length === 0 ? ['No sessions.'] : r.sessions.map((s) =>
        `- ${s.session_id} (${s.state}, ${s.checkpoints} checkpoints): git ${humanBytes(s.git_bytes)} (only here ${humanBytes(s.unique_bytes)}), ZIP ${humanBytes(s.zip_bytes)}, folder ${humanBytes(s.workspace_bytes)}`)),
      `Total: ${t.sessions} sessions, ${t.checkpoints} checkpoints; git ${humanBytes(t.git_bytes)}, ZIPs ${humanBytes(t.session_zip_bytes)}, folders ${humanBytes(t.workspace_bytes)}; ` +
        `${t.daily.count} daily (${humanBytes(t.daily.disk_bytes)}), ${t.milestones.count} milestones (${humanBytes(t.milestones.disk_bytes)}); ${r.objects.loose_count} loose objects`,
    ].join('\n');
    return { text, data: r };
  },
});
