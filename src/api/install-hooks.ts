import { installHooks as writeHooks } from '../domain/hooks/install.js';
import type { HooksChangeResult } from './contract/install-hooks.js';
import { changeView } from './views/hooks.js';
import { setNotesRewrite } from '../domain/hooks/notes-rewrite.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksChangeResult } from './contract/install-hooks.js';

export type InstallHooksOptions = ProjectOptions;

/**
 * Installs the git hook shims (pre-commit, post-commit, pre-push, post-rewrite): a hook of your own is kept as
 * <hook>.specmap-orig and runs first; installing again changes nothing; under husky nothing is written and `advice`
 * says which line to add. Also adds refs/notes/specmap to git's `notes.rewriteRef`, so line attribution notes follow
 * `commit --amend` and `rebase`.
 *
 * @example
 * const r = await installHooks({ cwd: '/repo' });
 * r.changes; // → [{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'chained' }]
 */
export async function installHooks(opts: InstallHooksOptions = {}): Promise<HooksChangeResult> {
  return transaction(opts, 'write', async ({ project }) => {
    const change = await writeHooks(project);
    await setNotesRewrite(project, true);
    return changeView(change);
  });
}
