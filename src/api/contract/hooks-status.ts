import { z } from 'zod';

const hookName = z.enum(['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge']);

export const hookState = z.object({
  name: hookName,
  path: z.string().describe('Absolute path of the hook file in the hooks folder git uses.'),
  state: z.enum(['installed', 'outdated', 'managed', 'missing', 'foreign']).describe(
    "installed: specmap's, current; outdated: specmap's, from another version or install path; managed: a hook manager's file (husky, lefthook) whose config runs `specmap hook <name>`; foreign: someone else's hook, not chained; missing: no file.",
  ),
  chained: z.boolean().describe('A hook of your own was kept as <hook>.specmap-orig and runs first.'),
  tracked: z.boolean().describe('git tracks the file (a hooks folder inside the project): specmap never writes, renames or removes it.'),
  manager_file: z.string().nullable().describe('With husky or lefthook: the file where `specmap hook <name>` belongs (.husky/<name>, lefthook.yml, package.json for husky 4).'),
  set_aside: z.string().nullable().describe("specmap's shim, moved to <hook>.old by `lefthook install`, where it no longer runs."),
});

export const hooksDirStatus = z.object({
  root: z.string().describe("The worktree's top level."),
  dir: z.string().describe('The hooks folder git really uses there (absolute; `git rev-parse --git-path hooks`).'),
  hooks_path: z.string().nullable().describe('core.hooksPath when it is set.'),
  manager: z.enum(['husky', 'lefthook', 'pre-commit']).nullable().describe('A hook manager that owns the hooks, when one is detected.'),
  manager_detail: z.string().nullable().describe('Which version or layout of the manager, and where its commands live.'),
  hooks: z.array(hookState),
  advice: z.array(z.string()).describe('What to do by hand (a line to add to a hook manager\'s file or a tracked hook, a YAML snippet), one entry each; an entry may span lines.'),
});

export const hooksStatusResult = hooksDirStatus.extend({
  worktrees: z.array(hooksDirStatus).describe(
    "Other worktrees whose hooks folder is not this one's (a relative core.hooksPath names a folder in each worktree); empty when they share the common git dir's hooks.",
  ),
});

/** What `hooksStatus` returns (also `specmap hooks status --json`). */
export type HooksStatusResult = z.infer<typeof hooksStatusResult>;
