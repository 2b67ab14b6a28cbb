import { offsiteList } from '../../../api/offsite-list.js';
import { offsiteListResult } from '../../../api/contract/offsite-list.js';
import { count, humanBytes, projectPath } from '../fields.js';
import { configuredOffsite } from '../offsite.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_offsite_list = defineTool('backup_offsite_list', {
  title: 'List off-site backups',
  description:
    'Every backup here or on the configured off-site copy (backup: {offsite: ...} in 04-agents/config.yaml), with ' +
    'whether each side has it and whether both records name the same SHA-256 (only the records are read). Needs rclone.',
  input: { project_path: projectPath },
  output: offsiteListResult.shape,
  annotations: { readOnlyHint: true, openWorldHint: true },
  run: async (a, ctx) => {
    const cwd = await projectDir(ctx, a.project_path);
    const r = await configuredOffsite(() => offsiteList({ cwd }));
    const text = r.backups.length === 0
      ? `No backups here or on ${r.remote}.`
      : [`${count(r.backups.length, 'backup')}, here and on ${r.remote}:`, ...r.backups.map((b) =>
        `- ${b.kind} ${b.name}: here ${b.local}, remote ${b.remote}${b.remote_bytes === null ? '' : ` (${humanBytes(b.remote_bytes)})`}${b.same === null ? '' : b.same ? ', same' : ', DIFFERENT'}`)].join('\n');
    return { text, data: r };
  },
});
