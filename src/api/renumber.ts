import { planRenumber, renumberSession } from '../domain/remote/sync.js';
import type { RenumberResult } from './contract/renumber.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { RenumberResult } from './contract/renumber.js';

export interface RenumberOptions extends ProjectOptions {
  /** Session id or unique prefix. */
  session: string;
  /** Report the new id, the folder move and every ref it would create or delete, and change nothing (`dry_run: true`). */
  dryRun?: boolean;
}

/**
 * Gives a session the next free number of its day (fetched sessions counted): folder, session.yaml, session ref and
 * checkpoint tags move together. The way out of an id collision with another clone. `dryRun` returns the same plan
 * and carries none of it out.
 *
 * @example
 * await renumber({ cwd: '/repo', session: '2025-10-25-session-001-fix-login' });
 * // → { session_id: '2025-10-25-session-002-fix-login', renumbered_from: '2025-10-25-session-001-fix-login',
 * //     folder: { from: '04-agents/sessions/active/2025-10-25-session-001-fix-login', to: '…-session-002-fix-login' },
 * //     refs: [{ ref: 'refs/sessions/2025-10-25-session-002-fix-login', action: 'create', target: '4f1c…' }, …] }
 */
export async function renumber(opts: RenumberOptions): Promise<RenumberResult> {
  return transaction(opts, opts.dryRun ? 'dry-run' : 'write', async ({ project, queuedWork }) => {
    const plan = await planRenumber(project, opts.session);
    const r = opts.dryRun ? plan : await renumberSession(project, plan);
    const result: RenumberResult = { session_id: r.to, renumbered_from: r.from, folder: r.folder, refs: r.refs };
    return opts.dryRun ? { ...result, dry_run: true, queued_work: queuedWork ?? [] } : result;
  });
}
