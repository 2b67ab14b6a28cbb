import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { SpecmapError } from '../core/errors.js';

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of the deepest existing ancestor of `p` joined with the part that does not exist yet. */
function realPathOfPossiblyMissing(p: string): string {
  let existing = p;
  const missing: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    missing.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    existing = parent;
  }
  return resolve(realpathSync(existing), ...missing);
}

/**
 * Turns a user-given path (relative to `cwd`, or absolute) into a POSIX path relative to the project root.
 * Refuses anything that resolves outside the root, including through symlinks, and anything inside `.git`.
 */
export function toProjectPath(root: string, cwd: string, input: string): string {
  if (input.length === 0) throw new SpecmapError('INVALID_INPUT', 'file path is empty');
  if (input.includes('\0')) throw new SpecmapError('INVALID_INPUT', 'file path contains a NUL byte');
  if (/[\r\n]/.test(input)) throw new SpecmapError('INVALID_INPUT', 'file path contains a line break');
  const realRoot = realpathSync(root);
  const absolute = resolve(cwd, input);
  const lexical = relative(resolve(root), absolute);
  const real = realPathOfPossiblyMissing(absolute);
  if (!isInside(realRoot, real) && !isInside(resolve(root), absolute)) {
    throw new SpecmapError('PATH_OUTSIDE_PROJECT', `path is outside the project: ${input}`);
  }
  if (!isInside(realRoot, real)) {
    throw new SpecmapError('PATH_OUTSIDE_PROJECT', `path leads outside the project through a symlink: ${input}`);
  }
  const rel = relative(realRoot, real) || lexical;
  const posix = rel.split(sep).join('/');
  if (posix === '' || posix === '.') throw new SpecmapError('INVALID_INPUT', `path is the project root, not a file: ${input}`);
  if (posix === '.git' || posix.startsWith('.git/')) {
    throw new SpecmapError('INVALID_INPUT', `path is inside .git: ${input}`);
  }
  return posix;
}
