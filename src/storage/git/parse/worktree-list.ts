export interface WorktreeEntry {
  /** The worktree's top level (for a bare main repository: its git dir). */
  path: string;
  /** The commit checked out (absent for a bare main repository). */
  head?: string;
  /** Full ref name of the checked-out branch; undefined on a detached HEAD. */
  branch?: string;
  /** The main repository is bare: there is no work tree at `path`. */
  bare: boolean;
}

/**
 * Parses `git worktree list --porcelain -z`: NUL-terminated `key value` fields, an empty field between worktrees,
 * the main worktree first. Keys it does not know (`locked`, `prunable`, `detached`) are skipped.
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
    }
  }
  return out;
}
