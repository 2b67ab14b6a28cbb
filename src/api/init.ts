import { ensureLayout } from '../domain/project/init.js';
import type { InitResult } from './contract/init.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { InitResult } from './contract/init.js';

export type InitOptions = ProjectOptions;

/**
 * Creates the spec's 04-agents layout and keeps ZIP backups and generated reports out of git history (a
 * /04-agents/backups/ and a /04-agents/reports/ line in .gitignore). Idempotent; `start` does it implicitly.
 *
 * @example
 * await init({ cwd: '/repo' });
 * // → { root: '/repo', created_dirs: ['04-agents', '04-agents/sessions/active', …], gitignore_updated: true }
 */
export async function init(opts: InitOptions = {}): Promise<InitResult> {
  return transaction(opts, 'write', ({ project }) => {
    const r = ensureLayout(project);
    return { root: r.root, created_dirs: r.createdDirs, gitignore_updated: r.gitignoreUpdated };
  });
}
