import { z } from 'zod';

export const gitHookResult = z.object({
  hook: z.enum(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge']),
  refuse: z.boolean().describe('The commit must not go in (pre-commit with staged ZIP backups). Never true because of a specmap failure.'),
  lines: z.array(z.string()).describe('What the hook says on stderr, each line prefixed "specmap:".'),
});

/** What `gitHook` returns: one run of a git hook. */
export type GitHookResult = z.infer<typeof gitHookResult>;
