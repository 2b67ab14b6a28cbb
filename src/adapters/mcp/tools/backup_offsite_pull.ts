import { offsitePull } from '../../../api/offsite-pull.js';
import { offsitePullResult } from '../../../api/contract/offsite-pull.js';
import { projectPath } from '../fields.js';
import { configuredOffsite } from '../offsite.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_offsite_pull = defineTool('backup_offsite_pull', {
  title: 'Fetch backups from off-site',
  description:
    'Fetch from the configured off-site copy (backup: {offsite: ...} in 04-agents/config.yaml) every backup whose ' +
    'ZIP is missing or damaged here, into 04-agents/backups/, each ZIP checked against its SHA-256 record first. Nothing ' +
    'here is overwritten (a damaged local ZIP is moved to 04-agents/backups/damaged/); ok is false when a remote backup ' +
    'was skipped (and why is said). Needs rclone.',
  input: { project_path: projectPath },
  output: offsitePullResult.shape,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  run: async (a, ctx) => {
    const cwd = await projectDir(ctx, a.project_path);
    const r = await configuredOffsite(() => offsitePull({ cwd }));
    const got = r.backups.filter((b) => b.action === 'fetched');
    const lines = [`${r.ok ? 'OK' : 'INCOMPLETE'} from ${r.remote}: ${got.length} fetched, ${r.backups.filter((b) => b.action === 'present').length} already here`];
    for (const b of got) lines.push(`- fetched ${b.kind} ${b.name}: ${b.files.join(', ')}`);
    for (const b of r.backups.filter((x) => x.action === 'skipped')) lines.push(`- skipped ${b.kind} ${b.name}: ${b.reason}`);
    return { text: lines.join('\n'), data: r };
  },
});
