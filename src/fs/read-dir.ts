import { readdirSync, type Dirent } from 'node:fs';
import { ioError } from '../core/errors.js';

/**
 * The entries of the folder `dir`, sorted by name, for walks that must come out the same every time. Their types
 * come from lstat, so a link is never taken for the folder or file it points to. An unreadable folder is an IO
 * error naming it.
 */
export function sortedEntries(dir: string): Dirent[] {
  let items: Dirent[];
  try {
    items = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw ioError('read folder', dir, err);
  }
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
