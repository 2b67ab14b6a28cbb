import { fetchOffsite } from '../domain/backup/offsite/fetch.js';
import { resolveRemote } from '../domain/backup/offsite/layout.js';
import type { OffsitePullResult } from './contract/offsite-pull.js';
import type { OffsiteOptions } from './offsite-push.js';
import { transaction } from './transaction.js';

export type { OffsitePullResult } from './contract/offsite-pull.js';

/**
 * Fetches from the off-site copy every backup whose ZIP is missing here, into its usual place in
 * 04-agents/backups/: downloaded aside, the ZIP hashed against the remote's record, then renamed in (records first).
 * Nothing here is overwritten: a backup whose local record names another SHA-256 is skipped, and a local ZIP that
 * fails its own record is moved to 04-agents/backups/damaged/ (never deleted) before the remote's good copy is
 * placed. Needs rclone.
 *
 * @example
 * await offsitePull({ cwd: '/repo', remote: 'mycloud:specmap/acme' });
 * // → { remote: 'mycloud:specmap/acme', ok: true, backups: [{ kind: 'milestone', name: 'v1.0', action: 'fetched',
 * //     reason: null, files: ['04-agents/backups/milestones/v1.0.manifest.json', '04-agents/backups/milestones/v1.0.zip'] }] }
 */
export async function offsitePull(opts: OffsiteOptions = {}): Promise<OffsitePullResult> {
  // 'read': downloads run without the lock; the renames into place take it.
  return transaction(opts, 'read', async ({ project, cwd }) => {
    const r = await fetchOffsite(project, resolveRemote(project, opts.remote, cwd));
    return { remote: r.remote, ok: r.ok, backups: r.backups.map(({ code: _code, ...b }) => b) };
  });
}
