import { doctor } from '../../../api/doctor.js';
import { doctorResult } from '../../../api/contract/doctor.js';
import { count, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const project_doctor = defineTool('project_doctor', {
  title: 'Check the project',
  description:
    "Check every session folder, session.yaml, ref, tag and backup against each other and list what is wrong " +
    '(an interrupted end, a checkpoint in git but not in session.yaml, a missing tag or ref, a lost backup ZIP, ' +
    'leftover temp files), each with whether a repair that loses nothing exists. Repairs nothing: the person ' +
    'runs `specmap doctor --fix` (or `--dry-run` to see the plan).',
  input: { project_path: projectPath },
  output: doctorResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await doctor({ cwd: await projectDir(ctx, a.project_path) });
    const fixable = r.findings.filter((f) => f.fixable).length;
    const lines = r.findings.length === 0
      ? ['No problems found.']
      : [`${count(r.findings.length, 'problem')}, ${fixable} repairable with \`specmap doctor --fix\`:`, ...r.findings.map((f) => `- ${f.check} ${f.subject}: ${f.message}${f.fixable ? ' (repairable)' : ''}`)];
    return { text: lines.join('\n'), data: r };
  },
});
