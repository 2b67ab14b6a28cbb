import { hooksStatus as inspectHooks } from '../domain/hooks/install.js';
import type { HooksStatusResult } from './contract/hooks-status.js';
import { statusView } from './views/hooks.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { HooksStatusResult } from './contract/hooks-status.js';

export type HooksStatusOptions = ProjectOptions;

/**
 * Which of specmap's git hooks are installed in the hooks folder git really uses (core.hooksPath included), and
 * whether a hook manager (husky, lefthook, pre-commit) owns them and runs `specmap hook <name>`; other worktrees whose
 * hooks folder differs (a relative core.hooksPath) are reported in `worktrees`.
 *
 * @example
 * await hooksStatus({ cwd: '/repo' });
 * // → { root: '/repo', dir: '/repo/.git/hooks', hooks_path: null, manager: null, manager_detail: null,
 * //     hooks: [{ name: 'pre-commit', path: '/repo/.git/hooks/pre-commit', state: 'installed', chained: false,
 * //               tracked: false, manager_file: null, set_aside: null }, …], advice: [], worktrees: [] }
 */
export async function hooksStatus(opts: HooksStatusOptions = {}): Promise<HooksStatusResult> {
  return transaction(opts, 'open', async ({ project }) => statusView(await inspectHooks(project)));
}
