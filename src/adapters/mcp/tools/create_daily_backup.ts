import { dailyBackup } from '../../../api/daily-backup.js';
import { dailyBackupResult } from '../../../api/contract/daily-backup.js';
import { count, humanBytes, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const create_daily_backup = defineTool('create_daily_backup', {
  title: 'Daily project backup',
  description:
    "Back up the project's specification folders (00-governance/, 01-specifications/, ..., 04-agents/ without " +
    'backups/) as a ZIP with a manifest under 04-agents/backups/daily/<date>/, and as a git commit on ' +
    "refs/backups/daily/<date>. A second call on the same day replaces that day's backup.",
  input: { project_path: projectPath },
  output: dailyBackupResult.shape,
  run: async (a, ctx) => {
    const r = await dailyBackup({ cwd: await projectDir(ctx, a.project_path) });
    return {
      text: `Daily backup ${r.name}${r.updated ? ' (replaced the earlier one)' : ''}: ${count(r.files, 'file')}, ${humanBytes(r.bytes)}\nZIP: ${r.zip} (${humanBytes(r.zip_bytes)})\nManifest: ${r.manifest}\nGit: ${r.ref} -> ${r.commit.slice(0, 12)}`,
      data: r,
    };
  },
});
