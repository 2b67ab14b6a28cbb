import { offsiteVerify } from '../../../api/offsite-verify.js';
import { offsiteVerifyResult } from '../../../api/contract/offsite-verify.js';
import { projectPath } from '../fields.js';
import { configuredOffsite } from '../offsite.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_offsite_verify = defineTool('backup_offsite_verify', {
  title: 'Verify off-site backups',
  description:
    'Check the configured off-site copy (backup: {offsite: ...} in 04-agents/config.yaml): every remote ZIP ' +
    "downloaded and hashed against the remote's record, and the records here against those there. ok is false " +
    'when a remote ZIP is damaged or missing, or differs from the one here; the problems say which. Needs rclone.',
  input: { project_path: projectPath },
  output: offsiteVerifyResult.shape,
  annotations: { readOnlyHint: true, openWorldHint: true },
  run: async (a, ctx) => {
    const cwd = await projectDir(ctx, a.project_path);
    const r = await configuredOffsite(() => offsiteVerify({ cwd }));
    const lines = r.results.length === 0 ? [`No backups here or on ${r.remote}.`] : [];
    for (const x of r.results) {
      lines.push(`${x.ok ? 'OK' : 'FAILED'} ${x.kind} ${x.name}: remote ${x.remote}, here ${x.local}`);
      for (const p of x.problems) lines.push(`  ${p.path ? `${p.path}: ` : ''}${p.problem}`);
    }
    for (const n of r.notes) lines.push(`Note: ${n}`);
    return { text: lines.join('\n'), data: r };
  },
});
