import { z } from 'zod';
import { dryRunFields } from './dry-run.js';
import { hooksDirStatus } from './hooks-status.js';

const changes = z.array(z.object({
  name: z.enum(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge']),
  action: z.enum(['installed', 'updated', 'unchanged', 'chained', 'removed', 'restored', 'absent', 'skipped']).describe(
    'chained: your own hook was kept and runs first; restored: your own hook is back; skipped: left alone (a hook manager owns the folder, the file is tracked by git, or it is someone else\'s hook); in a dry run, what would be done.',
  ),
}));

export const hooksChangeResult = hooksDirStatus.extend({
  changes,
  worktrees: z.array(hooksDirStatus.extend({ changes })).describe("The other worktrees whose hooks folder is not this one's, each changed the same way."),
  ...dryRunFields,
});

/**
 * What `installHooks` and `uninstallHooks` return: the status after the change, and what changed per hook (a dry
 * run: the status now, and what would change).
 */
export type HooksChangeResult = z.infer<typeof hooksChangeResult>;
