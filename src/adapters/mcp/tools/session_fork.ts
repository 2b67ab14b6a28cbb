import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { fork } from '../../../api/fork.js';
import { forkResult } from '../../../api/contract/fork.js';
import { SpecmapError, isSpecmapError } from '../../../shared/errors.js';
import { checkpointRef, projectPath, sessionId } from '../fields.js';
import { allowedPath, defineTool, projectDir } from '../tool.js';

export const session_fork = defineTool('session_fork', {
  title: 'Fork a session',
  description:
    'Start a new session from a checkpoint of another one, to try a second approach side by side: a new linked ' +
    'git worktree (detached HEAD, no branch created) holding that checkpoint\'s files, with its own session folder ' +
    'and refs/sessions/<id>. The worktree is a new folder beside the main one (default ../<project>-<new id>), ' +
    'outside this project folder: run an agent there (its own specmap server) to work in it. session_compare puts ' +
    'the forks side by side afterwards.',
  input: {
    project_path: projectPath,
    session_id: sessionId.describe('The session to fork (id, unique prefix or session number; in any worktree of the repository).'),
    checkpoint_id: checkpointRef.default('~0'),
    focus: z.string().min(1).max(200).optional().describe("The new session's focus (default: the parent's)."),
    agent: z.string().min(1).max(100).optional().describe("The agent working in the fork (default: the parent's)."),
    worktree: z.string().min(1).max(4096).optional().describe(
      'Where to put the new worktree: an absent or empty folder outside every worktree, relative to project_path or ' +
      "absolute; it must lie in a folder this server may open (the client's roots, SPECMAP_MCP_ALLOW_PATHS). " +
      'Default: beside the main worktree.',
    ),
  },
  output: forkResult.shape,
  // It only adds: a new folder (an existing, non-empty one is refused) and new refs; nothing is overwritten.
  annotations: { readOnlyHint: false, destructiveHint: false },
  run: async (a, ctx) => {
    const cwd = await projectDir(ctx, a.project_path);
    // The default place is specmap's own; a folder the model names is confined like project_path.
    const worktree = a.worktree === undefined
      ? undefined
      : await allowedPath(ctx, isAbsolute(a.worktree) ? resolve(a.worktree) : resolve(cwd, a.worktree), a.worktree, 'worktree');
    const r = await fork({ cwd, from: { session: a.session_id, checkpoint: a.checkpoint_id }, focus: a.focus, agent: a.agent, worktree }).catch((err: unknown) => {
      if (!isSpecmapError(err) || err.code !== 'CONFLICT' || err.details.kind !== 'worktree-exists') throw err;
      // The domain's sentence names the CLI's flag; say it in this server's terms.
      throw new SpecmapError(err.code, `${worktree} already exists and is not an empty folder (pass another worktree, or leave it out for the default)`, err.details);
    });
    return {
      text: [
        `Forked ${r.forked_from.session_id}:${r.forked_from.checkpoint_id} -> ${r.session_id}`,
        `Worktree: ${r.worktree} (detached HEAD at ${r.base_commit.slice(0, 12)})`,
        `Workspace: ${r.workspace}`,
        `Focus: ${r.focus}; agent: ${r.agent}`,
      ].join('\n'),
      data: r,
    };
  },
});
