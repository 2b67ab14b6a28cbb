import { z } from 'zod';

export const hookState = z.object({
  name: z.enum(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite']),
  path: z.string().describe('Absolute path of the hook file in the hooks folder git uses.'),
  state: z.enum(['installed', 'outdated', 'missing', 'foreign']).describe(
    "installed: specmap's, current; outdated: specmap's, from another version or install path; foreign: someone else's hook, not chained.",
  ),
  chained: z.boolean().describe('A hook of your own was kept as <hook>.specmap-orig and runs first.'),
});

export const hooksStatusResult = z.object({
  dir: z.string().describe('The hooks folder git really uses (absolute).'),
  hooks_path: z.string().nullable().describe('core.hooksPath when it is set.'),
  manager: z.enum(['husky', 'lefthook', 'pre-commit']).nullable().describe('A hook manager that owns the hooks, when one is detected.'),
  hooks: z.array(hookState),
  advice: z.array(z.string()).describe('What to do by hand when a hook manager owns the hooks.'),
});

/** What `hooksStatus` returns (also `specmap hooks status --json`). */
export type HooksStatusResult = z.infer<typeof hooksStatusResult>;
