import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpecmapError } from '../shared/errors.js';
import type { LockOptions } from '../storage/fs/lock.js';
import { findRepo, type RepoPaths } from '../storage/git/repo.js';
import { takePrefetchedRepository } from './repo-prefetch.js';
import { withProjectLock, type Project } from '../domain/project/project.js';
import { settle, settleLocked, settleWork } from '../domain/project/settle.js';
import { withScratchObjects } from '../storage/git/scratch-objects.js';

/** What every public verb takes: where to run. */
export interface ProjectOptions {
  /** A folder inside the project's git working tree (the CLI's -C, MCP's project_path); defaults to process.cwd(). */
  cwd?: string;
}

/** The project a verb works on, and the folder the caller's relative paths are relative to. */
export interface Tx {
  project: Project;
  /** Absolute folder the call was made from: user-given relative paths resolve against it (and only here, in api/). */
  cwd: string;
  /** Mode `dry-run` only: what the real run would settle first (settle.ts), one sentence each. */
  queuedWork?: string[];
}

/**
 * How a verb holds the project:
 * - `write`: the repository lock is held for the whole call and queued hook work is settled first (every mutation);
 * - `read`: queued hook work is settled (under the lock, briefly, only when there is any), then the verb runs
 *   without the lock, so readers never wait for a long writer;
 * - `open`: the project is found and nothing else (hooks, which must never wait, and verbs that lock in steps);
 * - `dry-run`: a write verb's plan without its changes: the lock is held (the plan sees one consistent state) but
 *   nothing is settled (`queuedWork` says what would be), and every git object the plan makes goes to a throwaway
 *   store (storage/git/scratch-objects.ts), so the repository is byte for byte as it was.
 */
export type TxMode = 'write' | 'read' | 'open' | 'dry-run';

let knownRepos: Map<string, RepoPaths> | undefined;

/**
 * For long-lived processes (the MCP server): remember each folder's repository paths instead of asking git on every
 * call. A remembered one is used while its git dir is still there; otherwise git is asked again.
 */
export function rememberRepositories(): void {
  knownRepos ??= new Map();
}

/** Finds the project that holds `cwd`; NOT_A_REPO when there is none. The only place a project is opened. */
export async function openProject(opts: ProjectOptions = {}): Promise<Tx> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new SpecmapError('NOT_A_REPO', `no such directory: ${cwd}`, { kind: 'no-directory' });
  }
  const known = knownRepos?.get(cwd);
  const git = known && existsSync(join(known.gitDir, 'HEAD')) && existsSync(known.root) ? known : (await takePrefetchedRepository(cwd)) ?? (await findRepo(cwd));
  knownRepos?.set(cwd, git);
  return { project: { root: git.root, git }, cwd };
}

/**
 * One transaction per verb (as jj's start_transaction … finish): the project is opened once, locked and settled
 * as `mode` says, and `fn` gets it. Domain code below never opens the project or takes the lock again.
 */
export async function transaction<T>(opts: ProjectOptions, mode: TxMode, fn: (tx: Tx) => Promise<T> | T, lock: LockOptions = {}): Promise<T> {
  const tx = await openProject(opts);
  if (mode === 'open') return fn(tx);
  if (mode === 'dry-run') {
    return withProjectLock(tx.project, () => withScratchObjects(tx.project.git, async () => fn({ ...tx, queuedWork: settleWork(tx.project) })), lock);
  }
  if (mode === 'read') {
    await settle(tx.project);
    return fn(tx);
  }
  return withProjectLock(tx.project, async () => {
    await settleLocked(tx.project);
    return fn(tx);
  }, lock);
}

/**
 * One locked step of a verb that runs in 'read' or 'open' mode and locks only where it writes (a restore that first
 * downloads from an off-site copy): `fn` with the repository lock held, queued hook work settled first.
 */
export function lockedStep<T>(project: Project, fn: () => Promise<T>, lock: LockOptions = {}): Promise<T> {
  return withProjectLock(project, async () => {
    await settleLocked(project);
    return fn();
  }, lock);
}
