import { existsSync, lstatSync } from 'node:fs';
import { rawJoin } from '../../shared/path-text.js';
import { sortedEntries } from './read-dir.js';

/** What a folder holds: its files' sizes (apparent bytes, as `ls -l` shows them) and how many there are. */
export interface FolderSize {
  bytes: number;
  files: number;
}

/**
 * The sum of the sizes of every file below `dir` (lstat: a link counts as the link, never what it points to, and
 * links to folders are not followed). A missing folder holds nothing.
 */
export function folderSize(dir: string): FolderSize {
  const total: FolderSize = { bytes: 0, files: 0 };
  if (!existsSync(dir)) return total;
  const walk = (path: Buffer) => {
    for (const item of sortedEntries(path)) {
      const child = rawJoin(path, item.name);
      if (item.isDirectory()) walk(child);
      else {
        total.bytes += lstatSync(child).size;
        total.files += 1;
      }
    }
  };
  walk(Buffer.from(dir));
  return total;
}

/** The size of one file (0 when it is not there). */
export function fileBytes(path: string): number {
  try {
    return lstatSync(path).size;
  } catch {
    return 0;
  }
}
