import { catalogBackups, type BackupKind } from '../domain/backup/catalog.js';
import type { ListBackupsResult } from './contract/list-backups.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { BackupListing, ListBackupsResult } from './contract/list-backups.js';

export interface ListBackupsOptions extends ProjectOptions {
  /** Only backups of this kind; all kinds when omitted. */
  kind?: BackupKind;
}

/**
 * Every backup of the project (session ZIPs, daily and milestone backups), from the folders and from the git refs,
 * so one whose ZIP was lost still shows; sessions first, then days, then milestones, each sorted by name.
 *
 * @example
 * await listBackups({ cwd: '/repo', kind: 'daily' });
 * // → { backups: [{ kind: 'daily', name: '2025-10-25', format: 'zip', zip: '04-agents/backups/daily/2025-10-25/backup.zip', zip_exists: true, … }] }
 */
export async function listBackups(opts: ListBackupsOptions = {}): Promise<ListBackupsResult> {
  return transaction(opts, 'read', async ({ project }) => {
    const all = await catalogBackups(project);
    return {
      backups: all.filter((b) => opts.kind === undefined || b.kind === opts.kind).map((b) => ({
        kind: b.kind, name: b.name, format: b.format, zip: b.zip, zip_exists: b.zipExists, manifest: b.manifest ?? null, checksum: b.checksum ?? null,
        ref: b.ref ?? null, ref_exists: b.refExists, bytes: b.bytes, files: b.files ?? null, written: b.written ?? null,
      })),
    };
  });
}
