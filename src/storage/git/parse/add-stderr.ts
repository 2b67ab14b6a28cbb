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
