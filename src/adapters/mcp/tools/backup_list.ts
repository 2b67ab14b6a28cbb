import { z } from 'zod';
import { listBackups } from '../../../api/list-backups.js';
import { listBackupsResult } from '../../../api/contract/list-backups.js';
import { count, humanBytes, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const backup_list = defineTool('backup_list', {
  title: 'List backups',
  description: 'Every backup of the project: session ZIPs, daily and milestone backups, with where each one is kept (ZIP and git copy).',
  input: {
    project_path: projectPath,
    kind: z.enum(['session', 'daily', 'milestone']).optional().describe('Only backups of this kind. Omitted: all.'),
  },
  output: listBackupsResult.shape,
  annotations: { readOnlyHint: true },
  run: async (a, ctx) => {
    const r = await listBackups({ cwd: await projectDir(ctx, a.project_path), kind: a.kind });
    const list = r.backups;
    const text = list.length === 0
      ? 'No backups yet.'
      : [`${count(list.length, 'backup')}:`, ...list.map((b) => `- ${b.kind} ${b.name}: ${b.zip_exists ? `${b.zip} (${humanBytes(b.bytes)} on disk)` : 'ZIP missing'}${b.ref ? `, git ${b.ref_exists ? b.ref : 'copy missing'}` : ''}`)].join('\n');
    return { text, data: r };
  },
});
