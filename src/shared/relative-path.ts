/** What else a relative path may not hold, beyond what no relative path may (see relativePathProblem). */
export interface RelativePathRules {
  /** Refuse `.` and empty components (`a//b`, `a/./b`, a trailing `/`): for names of files to write. */
  exactComponents?: boolean;
  /** Refuse backslashes (a name meant for this host, where another host might read them as separators). */
  noBackslash?: boolean;
  /**
   * Refuse a component `.git` (any case, anywhere in the path: `.git/config`, `sub/.GIT/hooks/x`): written out, it
   * would be a repository whose config (`core.fsmonitor`, hooks) git runs. git itself refuses such paths.
   */
  noDotGit?: boolean;
}

/**
 * The one check of a stored relative path (from session.yaml, a manifest or a ZIP entry): why it could lead out of
 * the folder it is relative to, or undefined when it cannot. No path may be empty, absolute (`/x`, `C:x`), hold a NUL
 * byte, or have a `..` component. `path` is POSIX-separated; non-UTF-8 names come as latin1 text of their bytes, so
 * no decoding can hide a `..`.
 */
export function relativePathProblem(path: string, rules: RelativePathRules = {}): string | undefined {
  if (path === '') return 'it is empty';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return 'it is an absolute path';
  if (path.includes('\0')) return 'it holds a NUL byte';
  const parts = path.split('/');
  if (parts.includes('..')) return "it has a '..' component";
  if (rules.exactComponents && parts.some((p) => p === '.' || p === '')) return "it has an empty or '.' component";
  if (rules.noBackslash && path.includes('\\')) return 'it holds a backslash';
  if (rules.noDotGit && parts.some((p) => p.toLowerCase() === '.git')) return 'it is inside .git';
  return undefined;
}

/**
 * The rules for a stored path specmap will write (a session.yaml or manifest path, a ZIP entry's name), the same
 * for every caller: no `..`, no absolute names, no empty or `.` components, nothing inside a `.git` folder. A
 * backslash is a byte of a name here, as it is to git on Unix (the ZIP reader turns the backslashes of archives made
 * on DOS/Windows into slashes before this check, so none can hide a `..`).
 */
export function storedPathProblem(path: string): string | undefined {
  return relativePathProblem(path, { exactComponents: true, noDotGit: true });
}
