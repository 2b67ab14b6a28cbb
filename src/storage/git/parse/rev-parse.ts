export interface RevParsePaths {
  root: string;
  gitDir: string;
  commonDir: string;
}

/**
 * Parses `git rev-parse --path-format=absolute --show-toplevel --git-dir --git-common-dir` output: one path a
 * line, in that order. Undefined when a line is missing. Paths keep their spaces; a path with a newline cannot
 * be told apart here (git prints no quoting), which is why specmap never creates one.
 */
export function parseRevParsePaths(stdout: string): RevParsePaths | undefined {
  const [root, gitDir, commonDir] = stdout.split('\n');
  if (!root || !gitDir || !commonDir) return undefined;
  return { root, gitDir, commonDir };
}

