import { z } from 'zod';

export const backupListing = z.object({
  kind: z.enum(['session', 'daily', 'milestone']),
  name: z.string().describe('Session id, date or milestone name.'),
  format: z.enum(['zip', 'folder']).describe("'folder': plain folder copies written by the Python SpecMap (daily only)."),
  zip: z.string().describe('The ZIP, or the folder (with a trailing slash) of a folder backup; project-relative.'),
  zip_exists: z.boolean(),
  manifest: z.string().nullable().describe("The manifest: the archive's and each file's SHA-256 and mode (session ZIPs: <id>-backup.manifest.json beside the ZIP; null for one written before specmap recorded it)."),
  checksum: z.string().nullable().describe("Session ZIPs: the .sha256 file recording the archive's SHA-256."),
  ref: z.string().nullable().describe('The git copy, for daily and milestone backups.'),
  ref_exists: z.boolean(),
  bytes: z.number().describe("Size on disk: the ZIP's (a folder backup: its files')."),
  files: z.number().nullable(),
  written: z.string().nullable().describe('ISO time the backup was written (manifest timestamp, else the ZIP\'s mtime).'),
});

export const listBackupsResult = z.object({ backups: z.array(backupListing) });

/** What `listBackups` returns (also `specmap backup list --json`, `specmap restore --list-backups --json` and MCP backup_list). */
export type ListBackupsResult = z.infer<typeof listBackupsResult>;
export type BackupListing = z.infer<typeof backupListing>;
