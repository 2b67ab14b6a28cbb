import { z } from 'zod';
import { compare } from '../../../api/compare.js';
import { compareResult } from '../../../api/contract/compare.js';
import { count, projectPath, sessionId } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

const lines = (added: number | null, removed: number | null) => (added === null ? 'binary' : `+${added} -${removed}`);

export const session_compare = defineTool('session_compare', {
  title: 'Compare sessions',
  description:
    'Put two or more sessions side by side (typically forks of one checkpoint, each in its own worktree): ' +
    'checkpoints, files touched, lines added and removed from each base to its last checkpoint, RULEMAP score, ' +
    'duration, and the difference between every pair of final states. Reads only.',
  input: {
    project_path: projectPath,
    session_ids: z.array(sessionId).min(2).max(20).describe('Two or more sessions (ids or unique prefixes), in any worktree of the repository.'),
    patch: z.boolean().optional().describe('Add the unified diff between every pair of final states (can be long).'),
    // No `run` (the CLI's --run, a shell command run in each worktree): a client may call tools without a person
    // reading the arguments, and a tool that runs any command line a model writes is a shell. Run the tests yourself.
  },
  output: compareResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await compare({ cwd: await projectDir(ctx, a.project_path), sessions: a.session_ids, patch: a.patch });
    const out = r.sessions.map((s) =>
      `- ${s.session_id} (${s.status}, ${s.agent}${s.forked_from ? `, forked from ${s.forked_from.session_id}:${s.forked_from.checkpoint_id}` : ''}): ` +
      `${s.checkpoints} checkpoints, ${s.files_touched} files, ${lines(s.lines_added, s.lines_removed)}, ` +
      `RULEMAP ${s.rulemap_score === null ? '-' : `${s.rulemap_score}/10`}, ${s.duration_minutes} min` +
      `${s.not_checkpointed.length > 0 ? `; ${count(s.not_checkpointed.length, 'file')} not checkpointed (not compared)` : ''}`);
    for (const d of r.diffs) {
      out.push(`${d.from} -> ${d.to}: ${d.files_changed === 0 ? 'identical final states' : `${count(d.files_changed, 'file differs', 'files differ')}, +${d.lines_added} -${d.lines_removed}`}`);
      for (const f of d.files) out.push(`  ${f.path} ${lines(f.added, f.removed)}`);
      if (d.patch) out.push(d.patch.trimEnd());
    }
    return { text: out.join('\n'), data: r };
  },
});
