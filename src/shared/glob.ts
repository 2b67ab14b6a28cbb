/**
 * A small glob for project paths (POSIX, relative): `**` spans folders, `*` and `?` stay within one, everything
 * else is literal. Enough for config patterns; no braces or classes.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function matchesAny(path: string, globs: RegExp[]): boolean {
  return globs.some((g) => g.test(path));
}

/**
 * A glob git's `:(glob)` pathspec matches exactly as globToRegExp does: `**` only as a whole segment, a wildcard
 * somewhere (git treats a plain path as a folder prefix too), no brackets or backslashes (classes in git, literal here).
 */
export function gitGlobSafe(glob: string): boolean {
  if (/[[\]\\]/.test(glob) || glob.includes('\n') || glob.startsWith(':') || !/[*?]/.test(glob)) return false;
  return glob.split('/').every((seg) => !seg.includes('**') || seg === '**');
}
