import { readdirSync, type Dirent } from 'node:fs';
import { ioError } from '../../shared/errors.js';

/**
 * The entries of the folder `dir`, sorted by name, for walks that must come out the same every time. Names are
 * bytes (a name that is not UTF-8 must not be decoded into another file's name); types come from lstat, so a link
 * is never taken for the folder or file it points to. An unreadable folder is an IO error naming it.
 */
export function sortedEntries(dir: string | Buffer): Dirent<Buffer>[] {
  let items: Dirent<Buffer>[];
  try {
    items = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    throw ioError('read folder', String(dir), err);
  }
  return items.sort((a, b) => Buffer.compare(a.name, b.name));
}
