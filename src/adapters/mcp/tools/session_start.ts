import { z } from 'zod';
import { start } from '../../../api/start.js';
import { startResult } from '../../../api/contract/start.js';
import { metadataValue, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_start = defineTool('session_start', {
  title: 'Start a session',
  description:
    'Start a new work session before you begin a task, so that what you create and change is tracked and can be ' +
    'checkpointed and restored. Creates the session folder (artifacts/, notes/, decisions/, snapshots/, session.yaml) ' +
    'and the git ref refs/sessions/<id>. Returns the session id: pass it to every other session_* tool.',
  input: {
    project_path: projectPath,
    focus: z.string().min(1).max(200).describe('What the session is about, in a few words, e.g. "authentication feature".'),
    agent: z.string().min(1).max(100).default('claude').describe('The AI agent doing the work.'),
    metadata: z.record(z.string(), metadataValue).optional().describe('Extra facts to record, e.g. {"ticket": "AUTH-12"}.'),
  },
  output: startResult.shape,
  run: async (a, ctx) => {
    const metadata = Object.fromEntries(Object.entries(a.metadata ?? {}).map(([k, v]) => [k, String(v)]));
    const r = await start({ cwd: await projectDir(ctx, a.project_path), focus: a.focus, agent: a.agent, metadata });
    return { text: `Session started: ${r.session_id}\nWorkspace: ${r.workspace}\nGit ref: ${r.git_ref} -> ${r.base_commit.slice(0, 12)}`, data: r };
  },
});
