import { z } from 'zod';
import { hooksStatusResult } from './hooks-status.js';

export const hooksChangeResult = hooksStatusResult.extend({
  changes: z.array(z.object({
    name: z.enum(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite']),
    action: z.enum(['installed', 'updated', 'unchanged', 'chained', 'removed', 'restored', 'absent', 'skipped']).describe(
      'chained: your own hook was kept and runs first; restored: your own hook is back; skipped: left alone (a hook manager or a foreign hook).',
    ),
  })),
});

/** What `installHooks` and `uninstallHooks` return: the status after the change, and what changed per hook. */
export type HooksChangeResult = z.infer<typeof hooksChangeResult>;
