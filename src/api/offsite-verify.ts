import { resolveRemote } from '../domain/backup/offsite/layout.js';
import { verifyOffsite } from '../domain/backup/offsite/verify.js';
import type { OffsiteVerifyResult } from './contract/offsite-verify.js';
import type { OffsiteOptions } from './offsite-push.js';
import { transaction } from './transaction.js';

export type { OffsiteVerifyResult } from './contract/offsite-verify.js';

/**
 * Checks the off-site copy: every remote ZIP downloaded and hashed against the remote's record (which works once
 * the local copies are gone), the records here against those there, and `rclone check --one-way` of the local
 * files against the remote ones. `ok` is false when a remote ZIP is damaged, a local backup is not on the remote,
 * or the two differ. Changes nothing. Needs rclone.
 *
 * @example
 * await offsiteVerify({ cwd: '/repo', remote: 'mycloud:specmap/acme' });
 * // → { remote: 'mycloud:specmap/acme', ok: true, results: [{ kind: 'daily', name: '2025-10-25', ok: true, remote: 'match', local: 'same', problems: [] }], notes: [] }
 */
export async function offsiteVerify(opts: OffsiteOptions = {}): Promise<OffsiteVerifyResult> {
  return transaction(opts, 'read', async ({ project, cwd }) => verifyOffsite(project, resolveRemote(project, opts.remote, cwd)));
}
