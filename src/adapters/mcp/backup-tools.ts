import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { dailyBackup } from '../../api/daily-backup.js';
import { listBackups } from '../../api/list-backups.js';
import { verifyBackups } from '../../api/verify-backups.js';
import { dailyBackupResult } from '../../api/contract/daily-backup.js';
import { listBackupsResult } from '../../api/contract/list-backups.js';
import { verifyBackupsResult } from '../../api/contract/verify-backups.js';
import { addTool, projectDir, projectPath, type ServerContext } from './tool.js';

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function registerBackupTools(server: McpServer, ctx: ServerContext): void {
  addTool(server, ctx, 'create_daily_backup', {
    title: 'Daily project backup',
    description:
      "Back up the project's specification folders (00-governance/, 01-specifications/, ..., 04-agents/ without " +
      'backups/) as a ZIP with a manifest under 04-agents/backups/daily/<date>/, and as a git commit on ' +
      "refs/backups/daily/<date>. A second call on the same day replaces that day's backup.",
    input: { project_path: projectPath },
    output: dailyBackupResult.shape,
    run: async (a) => {
      const r = await dailyBackup({ cwd: projectDir(ctx, a.project_path) });
      return {
        text: `Daily backup ${r.name}${r.updated ? ' (replaced the earlier one)' : ''}: ${r.files} files, ${kib(r.bytes)}\nZIP: ${r.zip}\nManifest: ${r.manifest}\nGit: ${r.ref} -> ${r.commit.slice(0, 12)}`,
        data: r,
      };
    },
  });

  addTool(server, ctx, 'backup_list', {
    title: 'List backups',
    description: 'Every backup of the project: session ZIPs, daily and milestone backups, with where each one is kept (ZIP and git copy).',
    input: {
      project_path: projectPath,
      kind: z.enum(['session', 'daily', 'milestone']).optional().describe('Only backups of this kind. Omitted: all.'),
    },
    output: listBackupsResult.shape,
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await listBackups({ cwd: projectDir(ctx, a.project_path), kind: a.kind });
      const list = r.backups;
      const text = list.length === 0
        ? 'No backups yet.'
        : [`${list.length} backup(s):`, ...list.map((b) => `- ${b.kind} ${b.name}: ${b.zip_exists ? `${b.zip} (${kib(b.bytes)})` : 'ZIP missing'}${b.ref ? `, git ${b.ref_exists ? b.ref : 'copy missing'}` : ''}`)].join('\n');
      return { text, data: r };
    },
  });

  addTool(server, ctx, 'backup_verify', {
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
    run: async (a) => {
      const r = await verifyBackups({ cwd: projectDir(ctx, a.project_path), backup: a.backup });
      const lines = r.results.length === 0 ? ['No backups to verify.'] : [];
      for (const x of r.results) {
        lines.push(`${x.ok ? 'OK' : 'DAMAGED'} ${x.kind} ${x.name}: ${x.ok ? `${x.files} files intact` : `${x.problems.length} problem(s)`}`);
        for (const p of x.problems) lines.push(`  ${p.path ? `${p.path}: ` : ''}${p.problem}`);
        for (const n of x.notes) lines.push(`  note: ${n}`);
      }
      return { text: lines.join('\n'), data: r };
    },
  });
}
