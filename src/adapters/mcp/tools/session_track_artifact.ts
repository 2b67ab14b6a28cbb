import { z } from 'zod';
import { track } from '../../../api/track.js';
import { trackResult } from '../../../api/contract/track.js';
import { projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const session_track_artifact = defineTool('session_track_artifact', {
  title: 'Track a file',
  description:
    "Record a file you created or modified in the session's artifacts, so the session summary and backups list it. " +
    'Call it after writing a file (git hooks and Claude Code hooks also do this automatically when installed).',
  input: {
    project_path: projectPath,
    session_id: sessionId,
    file_path: z.string().min(1).describe('The file, relative to the project root (or absolute, inside the project).'),
    action: z.enum(['created', 'modified']).describe('"created" for a new file, "modified" for a changed one.'),
  },
  output: trackResult.shape,
  run: async (a, ctx) => {
    const r = await track({ cwd: await projectDir(ctx, a.project_path), session: a.session_id, file: a.file_path, action: a.action });
    return { text: `${r.changed ? 'Tracked' : 'Already tracked'}: ${r.file_path} (${r.listed_as})`, data: r };
  },
});
