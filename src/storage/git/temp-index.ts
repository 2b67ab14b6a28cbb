import { join } from 'node:path';
import type { RepoPaths } from './repo.js';

let counter = 0;

/**
 * A fresh name for a temporary index in this worktree's git dir. One counter for the whole process (shared with
 * scratchPath), so two operations running at once in the long-lived MCP server never share a name; `doctor`
 * recognises the pattern.
 */
export function tempIndexPath(repo: RepoPaths): string {
  counter += 1;
  return join(repo.gitDir, `specmap-index.${process.pid}.${counter}`);
}

/** A fresh path for scratch work of `kind` (a staging folder) in this worktree's `<git dir>/specmap/`. */
export function scratchPath(repo: RepoPaths, kind: string): string {
  counter += 1;
  return join(repo.gitDir, 'specmap', `${kind}.${process.pid}.${counter}`);
}
