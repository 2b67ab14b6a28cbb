import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from './errors.js';
import type { ZipSource } from '../archive/zip-writer.js';

export interface WorkspaceEntries {
  entries: ZipSource[];
  /** Things left out of the backup, one sentence each (symlinks, sockets). */
  skipped: string[];
}

/**
 * The ZIP entries for a whole session workspace, named relative to the workspace root. `overrides` replaces a
 * file's content (end puts the final session.yaml in the ZIP before it is written to disk).
 */
export function workspaceEntries(dir: string, overrides: Record<string, string> = {}): WorkspaceEntries {
  const entries: ZipSource[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const walk = (absDir: string, prefix: string) => {
    let items;
    try {
      items = readdirSync(absDir, { withFileTypes: true });
    } catch (err) {
      throw ioError('read', absDir, err);
    }
    items.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      const name = prefix + item.name;
      const path = join(absDir, item.name);
      if (item.isDirectory()) {
        entries.push({ name: `${name}/`, data: '' });
        walk(path, `${name}/`);
      } else if (item.isFile()) {
        seen.add(name);
        const override = overrides[name];
        entries.push(override !== undefined ? { name, data: override } : { name, file: path });
      } else {
        skipped.push(`${name}: not a regular file (symlinks and special files are not backed up)`);
      }
    }
  };
  walk(dir, '');
  for (const [name, data] of Object.entries(overrides)) {
    if (!seen.has(name)) entries.push({ name, data });
  }
  return { entries, skipped };
}
