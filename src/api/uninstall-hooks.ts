import { applyHooksPlan, describePlan, planUninstall } from '../domain/hooks/install.js';
import type { HooksChangeResult } from './contract/install-hooks.js';
import { changeView } from './views/hooks.js';
import { setNotesRewrite } from '../domain/hooks/notes-rewrite.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksChangeResult } from './contract/install-hooks.js';

export interface UninstallHooksOptions extends ProjectOptions {
  /** Report what uninstall would do and change nothing (`dry_run: true`). */
  dryRun?: boolean;
}

/**
 * Removes specmap's shims and puts back any hook they chained, byte for byte and with its mode, in every hooks
 * folder install writes to, and takes refs/notes/specmap out of `notes.rewriteRef` (other values stay). Files git
 * tracks and other tools' hooks are left alone.
 *
 * @example
 * const r = await uninstallHooks({ cwd: '/repo' });
 * r.changes; // → [{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'restored' }, …]
 */
export async function uninstallHooks(opts: UninstallHooksOptions = {}): Promise<HooksChangeResult> {
  return transaction(opts, opts.dryRun ? 'dry-run' : 'write', async ({ project, queuedWork }) => {
    const plan = await planUninstall(project);
    if (opts.dryRun) return { ...changeView(describePlan(plan)), dry_run: true, queued_work: queuedWork ?? [] };
    const change = await applyHooksPlan(project, plan);
    await setNotesRewrite(project, false);
    return changeView(change);
  });
}
