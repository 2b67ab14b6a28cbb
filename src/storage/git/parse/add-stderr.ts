/**
 * The paths of git's "The following paths are ignored by one of your .gitignore files:" report (what `git add`
 * prints on stderr, one path a line, then hints), or undefined when `stderr` is not that report.
 */
export function parseIgnoredReport(stderr: string): string[] | undefined {
  if (!/ignored by one of your \.gitignore files/.test(stderr)) return undefined;
  return stderr.split('\n').slice(1).map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
}

/** The pathspec of git's "pathspec '<p>' did not match any files", or undefined when `stderr` does not say that. */
export function parseUnmatchedPathspec(stderr: string): string | undefined {
  return /pathspec '([^']*)' did not match any files/.exec(stderr)?.[1];
}

/**
 * The paths of git's "matched paths that exist outside of your sparse-checkout definition" report (`git add` in a
 * sparse checkout: the paths after "updated in the index:", then hints), or undefined when `stderr` is not that.
 */
export function parseSparseReport(stderr: string): string[] | undefined {
  if (!/outside of your sparse-checkout definition/.test(stderr)) return undefined;
  const lines = stderr.split('\n');
  const start = lines.findIndex((l) => /updated in the index:\s*$/.test(l));
  return lines.slice(start + 1).map((l) => l.trim()).filter((l) => l && !l.startsWith('hint:'));
}
