export interface WorktreeEntry {
  /** The worktree's top level (for a bare main repository: its git dir). */
  path: string;
  /** The commit checked out (absent for a bare main repository). */
  head?: string;
  /** Full ref name of the checked-out branch; undefined on a detached HEAD. */
  branch?: string;
  /** The main repository is bare: there is no work tree at `path`. */
  bare: boolean;
  /** `git worktree lock` was run on it (with the reason, when one was given): git refuses to remove it. */
  locked?: string;
}

/**
 * Parses `git worktree list --porcelain -z`: NUL-terminated `key value` fields, an empty field between worktrees,
 * the main worktree first. `locked` (alone, or with its reason) is kept; keys it does not know (`prunable`,
 * `detached`) are skipped.
 */
export function parseWorktreeList(stdout: string): WorktreeEntry[] {
  const out: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of stdout.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), bare: false };
      out.push(current);
    } else if (current && field.startsWith('HEAD ')) {
      current.head = field.slice('HEAD '.length);
    } else if (current && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length);
    } else if (current && field === 'bare') {
      current.bare = true;
    } else if (current && (field === 'locked' || field.startsWith('locked '))) {
      current.locked = field.slice('locked '.length);
    }
  }
  return out;
}
