import { afterEach } from 'vitest';
import { makeRepo, type RepoOptions, type TestRepo } from './repo.js';

// Local dates, times and the offsets in commit dates follow TZ: fixed, so commit ids are the same on every machine.
process.env.TZ = 'UTC';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

/**
 * A test repository whose isolated git config (identity, no gc) this process uses too, for api calls made
 * in-process; the clock is pinned to `now` (SPECMAP_NOW). Undone after each test.
 */
export function inProcessRepo(now: string, opts: RepoOptions = {}): TestRepo {
  const repo = makeRepo(opts);
  useRepoEnv(repo, { SPECMAP_NOW: now });
  return repo;
}

/**
 * In-process api calls run git with this process's environment: give it `repo`'s isolated one (its HOME and global
 * config, no system config), with no SPECMAP_* or GIT_* variable of the caller's left, plus `extra`.
 */
export function useRepoEnv(repo: TestRepo, extra: Record<string, string> = {}): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_') || k.startsWith('SPECMAP_')) delete process.env[k];
  Object.assign(process.env, { HOME: repo.home, GIT_CONFIG_GLOBAL: repo.env.GIT_CONFIG_GLOBAL!, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', ...extra });
}

/** Moves the pinned clock (SPECMAP_NOW, local time: UTC here). */
export function pinClock(now: string): void {
  process.env.SPECMAP_NOW = now;
}

/** The error `fn` rejects with (fails the test when it resolves). */
export async function rejection(fn: () => Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    return err as { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection, but it resolved');
}
