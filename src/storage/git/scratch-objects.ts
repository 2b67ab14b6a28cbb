import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RepoPaths } from './repo.js';
import { runGit, withGitEnv } from './run.js';

const active = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with every git call writing its objects (blobs, trees, commits, tags) into a throwaway object directory
 * outside the repository, the repository's own objects readable through it as an alternate. A dry run computes its
 * plan with exactly the calls the real run makes — the same trees and commits, the same ids — and leaves
 * `.git/objects` byte for byte as it was; the folder is removed when `fn` settles. Code that would keep something
 * naming those objects (a saved index, a cache) asks `inScratchObjects()` and keeps nothing.
 */
export async function withScratchObjects<T>(repo: RepoPaths, fn: () => Promise<T>): Promise<T> {
  const { stdout } = await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'objects'], { cwd: repo.root });
  const real = stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), 'specmap-dry-run-'));
  try {
    return await active.run(true, () => withGitEnv({ GIT_OBJECT_DIRECTORY: dir, GIT_ALTERNATE_OBJECT_DIRECTORIES: real }, fn));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True inside withScratchObjects: objects written here vanish afterwards, so nothing may be kept that names them. */
export function inScratchObjects(): boolean {
  return active.getStore() === true;
}
