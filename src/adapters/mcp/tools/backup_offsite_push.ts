import { z } from 'zod';
import { offsitePush } from '../../../api/offsite-push.js';
import { offsitePushResult } from '../../../api/contract/offsite-push.js';
import { count, humanBytes, projectPath } from '../fields.js';
import { configuredOffsite } from '../offsite.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_offsite_push = defineTool('backup_offsite_push', {
  title: 'Send backups off-site',
  description:
    'Send the session, daily and milestone backup ZIPs with their manifests to the off-site copy configured in ' +
    '04-agents/config.yaml (backup: {offsite: ...}, an rclone remote or a folder), skipping what is already ' +
    'there, then check what was sent. A remote file it replaces is moved aside on the remote, never deleted. ' +
    'ok is false when a file failed the check or a damaged local ZIP was not sent. Needs rclone.',
  input: {
    project_path: projectPath,
    rehash: z.boolean().optional().describe('Download and hash every remote ZIP first, and send again any that fails its record.'),
  },
  output: offsitePushResult.shape,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  run: async (a, ctx) => {
    const cwd = await projectDir(ctx, a.project_path);
    const r = await configuredOffsite(() => offsitePush({ cwd, rehash: a.rehash }));
    const sent = r.backups.filter((b) => b.action === 'uploaded');
    const lines = [`${r.ok ? 'OK' : 'INCOMPLETE'} off-site ${r.remote}: ${sent.length} sent, ${r.backups.filter((b) => b.action === 'already-there').length} already there`];
    for (const b of sent) lines.push(`- sent ${b.kind} ${b.name} (${humanBytes(b.bytes)})`);
    for (const b of r.backups.filter((x) => x.action === 'skipped')) lines.push(`- skipped ${b.kind} ${b.name}: ${b.reason}`);
    if (r.replaced_dir) lines.push(`${count(r.replaced.length, 'replaced file')} kept on the remote in ${r.replaced_dir}/`);
    lines.push(`Check: ${count(r.check.files, 'file')}, ${count(r.check.problems.length, 'problem')}${r.check.sizes_only ? ' (sizes only)' : ''}`);
    for (const p of r.check.problems) lines.push(`  ${p.path}: ${p.problem}`);
    for (const n of r.notes) lines.push(`Note: ${n}`);
    return { text: lines.join('\n'), data: r };
  },
});
