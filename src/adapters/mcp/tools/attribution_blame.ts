import { z } from 'zod';
import { blame } from '../../../api/blame.js';
import { blameResult } from '../../../api/contract/blame.js';
import { projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const attribution_blame = defineTool('attribution_blame', {
  title: 'Who wrote each line',
  description:
    '`git blame` of one file with one thing more per line: whether an agent (which one, in which session and ' +
    'checkpoint) or a person wrote it, from the attribution note of the commit that last changed the line. ' +
    'Lines of commits made without a session are unknown; changes not committed yet are uncommitted.',
  input: {
    project_path: projectPath,
    file_path: z.string().min(1).describe('The file, relative to the project root (or absolute, inside the project).'),
    rev: z.string().min(1).max(200).optional().describe('Blame the file as this git revision has it (a commit, branch or tag). Omitted: the working tree.'),
  },
  output: blameResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await blame({ cwd: await projectDir(ctx, a.project_path), file: a.file_path, rev: a.rev });
    const s = r.summary;
    const who = (l: (typeof r.lines)[number]) =>
      l.by === 'ai' ? `${l.agent ?? 'ai'}${l.session_id ? ` ${l.session_id}` : ''}` : l.by === 'uncommitted' ? 'not committed' : l.by;
    const text = [
      `${r.file}${r.rev ? ` at ${r.rev}` : ''}: ${r.lines.length} lines; ai ${s.ai}, human ${s.human}, unknown ${s.unknown}, uncommitted ${s.uncommitted}`,
      ...r.lines.map((l) => `${String(l.line).padStart(4)} ${l.commit ? l.commit.slice(0, 8) : '00000000'} ${who(l)}: ${l.content}`),
    ].join('\n');
    return { text, data: r };
  },
});
