export type MergeTreeResult = { clean: true; tree: string } | { clean: false; conflicts: string[] };

/**
 * Parses `git merge-tree --write-tree --name-only --no-messages` output: the tree id on the first line, then (exit
 * code 1) the conflicted paths, one a line, a path once per conflicted stage.
 */
export function parseMergeTree(stdout: string, code: number): MergeTreeResult {
  const lines = stdout.split('\n').filter((l) => l.length > 0);
  if (code === 0) return { clean: true, tree: lines[0]! };
  return { clean: false, conflicts: [...new Set(lines.slice(1))] };
}
