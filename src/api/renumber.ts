import { renumberSession } from '../domain/remote/sync.js';
import type { RenumberResult } from './contract/renumber.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { RenumberResult } from './contract/renumber.js';

export interface RenumberOptions extends ProjectOptions {
  /** Session id or unique prefix. */
  session: string;
}

/**
 * Gives a session the next free number of its day (fetched sessions counted): folder, session.yaml, session ref and
 * checkpoint tags move together. The way out of an id collision with another clone.
 *
 * @example
 * await renumber({ cwd: '/repo', session: '2025-10-25-session-001-fix-login' });
 * // → { session_id: '2025-10-25-session-002-fix-login', renumbered_from: '2025-10-25-session-001-fix-login' }
 */
export async function renumber(opts: RenumberOptions): Promise<RenumberResult> {
  return transaction(opts, 'write', async ({ project }) => {
    const r = await renumberSession(project, opts.session);
    return { session_id: r.to, renumbered_from: r.from };
  });
}
