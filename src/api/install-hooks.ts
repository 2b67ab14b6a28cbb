import { installHooks as writeHooks } from '../domain/hooks/install.js';
import type { HooksChangeResult } from './contract/install-hooks.js';
import { changeView } from './views/hooks.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksChangeResult } from './contract/install-hooks.js';

export type InstallHooksOptions = ProjectOptions;

/**
 * Installs the pre-commit and post-commit shims: a hook of your own is kept as <hook>.specmap-orig and runs first;
 * installing again changes nothing; under husky nothing is written and `advice` says which line to add.
 *
 * @example
 * const r = await installHooks({ cwd: '/repo' });
 * r.changes; // → [{ name: 'pre-commit', action: 'installed' }, { name: 'post-commit', action: 'chained' }]
 */
export async function installHooks(opts: InstallHooksOptions = {}): Promise<HooksChangeResult> {
  return transaction(opts, 'write', async ({ project }) => changeView(await writeHooks(project)));
}
