import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';

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

function checkInput(input: string): void {
  if (input.length === 0) throw new SpecmapError('INVALID_INPUT', 'file path is empty');
  if (input.includes('\0')) throw new SpecmapError('INVALID_INPUT', 'file path contains a NUL byte');
  if (/[\r\n]/.test(input)) throw new SpecmapError('INVALID_INPUT', 'file path contains a line break');
}

/**
 * Turns a user-given path (relative to `cwd`, or absolute) into a POSIX path relative to the project root.
 * Refuses anything that resolves outside the root, including through symlinks, and anything inside `.git`.
 */
export function toProjectPath(root: string, cwd: string, input: string): string {
  checkInput(input);
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

export interface OutputDir {
  /** Absolute path to write (the real path when it lies outside the project). */
  abs: string;
  /** Project-relative POSIX path when the folder is inside the project. */
  rel?: string;
}

/**
 * A folder the user names for output (relative to `cwd`, or absolute). A path inside the project is checked like
 * every project path (`toProjectPath`: no escape through a symlink, not `.git`); a path outside is allowed, since
 * the user chose it, unless it is the project itself or a folder holding it (replacing that would delete the project).
 */
export function toOutputDir(root: string, cwd: string, input: string): OutputDir {
  checkInput(input);
  const realRoot = realpathSync(root);
  const absolute = resolve(cwd, input);
  const real = realPathOfPossiblyMissing(absolute);
  if (real === realRoot) throw new SpecmapError('INVALID_INPUT', `${input} is the project itself; name a new or empty folder`);
  if (isInside(resolve(root), absolute) || isInside(realRoot, real)) {
    const rel = toProjectPath(root, cwd, input);
    return { abs: resolve(realRoot, ...rel.split('/')), rel };
  }
  if (isInside(real, realRoot)) throw new SpecmapError('INVALID_INPUT', `${input} holds the project itself; name a new or empty folder`);
  return { abs: real };
}

/**
 * The absolute path of `rel` under `root` for a path specmap is about to write or delete, refused with PATH_OUTSIDE_PROJECT when a symlink
 * on the way (say `04-agents/backups` pointing elsewhere) makes it lead outside the project.
 */
export function insideProject(root: string, rel: string): string {
  toProjectPath(root, root, rel);
  return join(root, ...rel.split('/'));
}
