import { z } from 'zod';
import { milestoneBackup } from '../../../api/milestone-backup.js';
import { milestoneBackupResult } from '../../../api/contract/milestone-backup.js';
import { humanBytes, projectPath } from '../fields.js';
import { defineTool, projectDir } from '../tool.js';

export const create_milestone_backup = defineTool('create_milestone_backup', {
  title: 'Milestone project backup',
  description:
    'Back up the whole project as it is now (tracked and untracked files, never ignored ones or the backups) ' +
    'under a name, e.g. before a release or a large refactoring: a ZIP with a manifest under ' +
    '04-agents/backups/milestones/<name>.zip and a git commit tagged milestones/<name>. An existing milestone of ' +
    'that name is never replaced here (the CLI can, with --force).',
  input: {
    project_path: projectPath,
    name: z.string().min(1).max(100).describe("Letters, digits, '.', '_' and '-', e.g. v1.0-release: it names the ZIP and the tag."),
  },
  output: milestoneBackupResult.shape,
  annotations: { readOnlyHint: false, destructiveHint: false },
  run: async (a, ctx) => {
    const r = await milestoneBackup({ cwd: await projectDir(ctx, a.project_path), name: a.name });
    return {
      text: `Milestone backup ${r.name}: ${r.files} files, ${humanBytes(r.bytes)}\nZIP: ${r.zip}\nManifest: ${r.manifest}\nGit: ${r.ref} -> ${r.commit.slice(0, 12)}`,
      data: r,
    };
  },
});
