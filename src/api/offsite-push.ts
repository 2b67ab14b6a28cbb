import { resolveRemote } from '../domain/backup/offsite/layout.js';
import { pushOffsite } from '../domain/backup/offsite/push.js';
import type { OffsitePushResult } from './contract/offsite-push.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { OffsitePushResult } from './contract/offsite-push.js';

export interface OffsiteOptions extends ProjectOptions {
  /**
   * The off-site copy: an rclone remote (`mycloud:specmap/project`, `:webdav,url=…:`) or a folder (relative to
   * `cwd`, or absolute); omitted, `backup: {offsite: …}` in 04-agents/config.yaml.
   */
  remote?: string;
}

export interface OffsitePushOptions extends OffsiteOptions {
  /**
   * Download and hash every remote ZIP first and send again any that fails its record (a copy damaged after it was
   * sent; the damaged file is kept in replaced/). Without it a backup whose remote record matches is not re-read.
   */
  rehash?: boolean;
}

/**
 * Sends the session, daily and milestone ZIPs with their manifests to an off-site copy through rclone, skipping
 * what is already there (the remote's record names the same SHA-256), then compares what was sent with `rclone
 * check --one-way`. A local ZIP that fails its record is never sent; a remote file replaced by another version is
 * moved to `replaced/<time>-<pid>/` on the remote, never deleted. Needs rclone (RCLONE_MISSING otherwise). Every
 * offsite verb takes `remote` (OffsiteOptions): an rclone remote (`mycloud:specmap/project`) or a folder, relative to
 * `cwd` or absolute; omitted, `backup: {offsite: …}` in 04-agents/config.yaml.
 *
 * @example
 * await offsitePush({ cwd: '/repo', remote: 'mycloud:specmap/acme' });
 * // → { remote: 'mycloud:specmap/acme', ok: true, backups: [{ kind: 'daily', name: '2025-10-25', action: 'uploaded',
 * //     files: ['daily/2025-10-25/backup.zip', 'daily/2025-10-25/manifest.json'], … }], replaced_dir: null, … }
 */
export async function offsitePush(opts: OffsitePushOptions = {}): Promise<OffsitePushResult> {
  // 'read': the lock is held only while the local backups are snapshotted, never during the upload.
  return transaction(opts, 'read', async ({ project, cwd }) => {
    const r = await pushOffsite(project, resolveRemote(project, opts.remote, cwd), { rehash: opts.rehash });
    return {
      remote: r.remote, ok: r.ok, backups: r.backups, replaced_dir: r.replacedDir, replaced: r.replaced,
      check: { files: r.check.files, sizes_only: r.check.sizesOnly, problems: r.check.problems }, notes: r.notes,
    };
  });
}
