import { uninstallHooks as removeHooks } from '../domain/hooks/install.js';
import type { HooksChangeResult } from './contract/install-hooks.js';
import { changeView } from './views/hooks.js';
import { setNotesRewrite } from '../domain/hooks/notes-rewrite.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksChangeResult } from './contract/install-hooks.js';

export type UninstallHooksOptions = ProjectOptions;

/**
 * Removes specmap's shims and puts back any hook they chained, byte for byte and with its mode, and takes
 * refs/notes/specmap out of `notes.rewriteRef` (other values stay).
 *
 * @example
 * const r = await uninstallHooks({ cwd: '/repo' });
 * r.changes; // → [{ name: 'pre-commit', action: 'removed' }, { name: 'post-commit', action: 'restored' }]
 */
export async function uninstallHooks(opts: UninstallHooksOptions = {}): Promise<HooksChangeResult> {
  return transaction(opts, 'write', async ({ project }) => {
    const change = await removeHooks(project);
    await setNotesRewrite(project, false);
    return changeView(change);
  });
}
