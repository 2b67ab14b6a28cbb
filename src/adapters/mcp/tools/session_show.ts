import { showSession } from '../../../api/show-session.js';
import { showSessionResult } from '../../../api/contract/show-session.js';
import { projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_show = defineTool('session_show', {
  title: 'Show a session',
  description:
    "Everything recorded about one session: focus, agent, times, tracked artifacts, checkpoints and metrics (the " +
    "session.yaml document). Call it to pick up where a session left off.",
  input: { project_path: projectPath, session_id: sessionId },
  output: showSessionResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await showSession({ cwd: await projectDir(ctx, a.project_path), session: a.session_id });
    const text = [
      `Session ${r.session_id} (${r.status}${r.state === 'archive' ? ', archived' : ''}): ${r.focus}`,
      `Agent ${r.agent}, started ${r.date} ${r.start_time}${r.end_time ? `, ended ${r.end_time}` : ''}`,
      `Artifacts: ${r.artifacts.created.length} created, ${r.artifacts.modified.length} modified`,
      `Checkpoints (${r.checkpoints.length}):`,
      ...r.checkpoints.map((c) => `- ${c.checkpoint_id} ${c.time} ${c.description.split('\n')[0]}`),
    ].join('\n');
    return { text, data: r };
  },
});
