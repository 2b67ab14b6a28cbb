import { resolveRemote } from '../domain/backup/offsite/layout.js';
import { listOffsite } from '../domain/backup/offsite/verify.js';
import type { OffsiteListResult } from './contract/offsite-list.js';
import type { OffsiteOptions } from './offsite-push.js';
import { transaction } from './transaction.js';

export type { OffsiteListResult } from './contract/offsite-list.js';

/**
 * Every backup here or on the off-site copy, with whether each side has it and whether their records name the
 * same SHA-256 (only the records are downloaded). Needs rclone.
 *
 * @example
 * await offsiteList({ cwd: '/repo', remote: 'mycloud:specmap/acme' });
 * // → { remote: 'mycloud:specmap/acme', backups: [{ kind: 'daily', name: '2025-10-25', local: 'missing', remote: 'present', same: null, … }] }
 */
export async function offsiteList(opts: OffsiteOptions = {}): Promise<OffsiteListResult> {
  return transaction(opts, 'read', async ({ project, cwd }) => {
    const r = await listOffsite(project, resolveRemote(project, opts.remote, cwd));
    return {
      remote: r.remote,
      backups: r.backups.map((b) => ({
        kind: b.kind, name: b.name, local: b.local, remote: b.remote, same: b.same, local_sha256: b.localSha256, remote_sha256: b.remoteSha256, remote_bytes: b.remoteBytes,
      })),
    };
  });
}
