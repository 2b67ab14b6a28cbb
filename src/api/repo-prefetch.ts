import { resolve } from 'node:path';
import { findRepo, type RepoPaths } from '../storage/git/repo.js';

/**
 * The repository lookup (`git rev-parse`) started early, so it runs while a command's modules load instead of
 * after: the CLI starts it for the command's folder, openProject takes it. Only a lookup that succeeded is used;
 * one that failed is asked again (the folder may have become a repository since, as `init` makes one).
 */
const started = new Map<string, Promise<RepoPaths | undefined>>();

/** Starts finding the repository that holds `cwd`, for the next openProject of that folder in this process. */
export function prefetchRepository(cwd: string): void {
  const key = resolve(cwd);
  if (!started.has(key)) started.set(key, findRepo(key).catch(() => undefined));
}

/** The prefetched paths for `cwd` (absolute), once; undefined when none was started or it failed. */
export function takePrefetchedRepository(cwd: string): Promise<RepoPaths | undefined> | undefined {
  const found = started.get(cwd);
  started.delete(cwd);
  return found;
}

/** Drops lookups nobody took (a command that failed before opening its project), so none outlives its command. */
export function forgetPrefetchedRepositories(): void {
  started.clear();
}
