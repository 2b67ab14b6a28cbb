import { applyHooksPlan, describePlan, planInstall } from '../domain/hooks/install.js';
import type { HooksChangeResult } from './contract/install-hooks.js';
import { changeView } from './views/hooks.js';
import { setNotesRewrite } from '../domain/hooks/notes-rewrite.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksChangeResult } from './contract/install-hooks.js';

export interface InstallHooksOptions extends ProjectOptions {
  /** Report what install would do (`changes`, `advice`) and write nothing (`dry_run: true`). */
  dryRun?: boolean;
}

/**
 * Installs the git hook shims (pre-commit, post-commit, pre-push, post-rewrite, post-merge) in the hooks folder git
 * uses, in this worktree and in every other worktree whose folder differs: a hook of your own is kept as
 * <hook>.specmap-orig and runs first; installing again changes nothing. Where husky or lefthook owns the hooks, or a
 * hook file is tracked by git, nothing is written and `advice` says which line (or lefthook.yml snippet) to add
 * where. Also adds refs/notes/specmap to git's `notes.rewriteRef`, so line attribution notes follow `commit --amend`
 * and `rebase`.
 *
 * @example
 * const r = await installHooks({ cwd: '/repo' });
 * r.changes; // → [{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'chained' }, …]
 */
export async function installHooks(opts: InstallHooksOptions = {}): Promise<HooksChangeResult> {
  return transaction(opts, opts.dryRun ? 'dry-run' : 'write', async ({ project, queuedWork }) => {
    const plan = await planInstall(project);
    if (opts.dryRun) return { ...changeView(describePlan(plan)), dry_run: true, queued_work: queuedWork ?? [] };
    const change = await applyHooksPlan(project, plan);
    // Only where specmap's own shims run: under husky or lefthook nothing of the repository's is written.
    if (change.changes.some((c) => c.action === 'installed' || c.action === 'updated' || c.action === 'chained' || c.action === 'unchanged')) await setNotesRewrite(project, true);
    return changeView(change);
  });
}
