import { z } from 'zod';
import { verifyBackups } from '../../../api/verify-backups.js';
import { verifyBackupsResult } from '../../../api/contract/verify-backups.js';
import { count, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_verify = defineTool('backup_verify', {
  title: 'Verify backups',
  description:
    'Check that backups can be restored: every ZIP entry is read back and its CRC and SHA-256 compared with the ' +
    'manifest. ok is false when any backup is damaged; the problems say which file and why.',
  input: {
    project_path: projectPath,
    backup: z.string().min(1).max(200).optional().describe('One backup: a session id, date or milestone name (or a unique prefix). Omitted: all.'),
  },
  output: verifyBackupsResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await verifyBackups({ cwd: await projectDir(ctx, a.project_path), backup: a.backup });
    const lines = r.results.length === 0 ? ['No backups to verify.'] : [];
    for (const x of r.results) {
      lines.push(`${x.ok ? 'OK' : 'DAMAGED'} ${x.kind} ${x.name}: ${x.ok ? `${count(x.files, 'file')} intact` : count(x.problems.length, 'problem')}`);
      for (const p of x.problems) lines.push(`  ${p.path ? `${p.path}: ` : ''}${p.problem}`);
      for (const n of x.notes) lines.push(`  note: ${n}`);
    }
    return { text: lines.join('\n'), data: r };
  },
});
