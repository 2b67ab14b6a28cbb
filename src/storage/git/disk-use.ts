import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { folderSize } from '../fs/folder-size.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseCountObjects, parseDiskUsage, type CountObjects } from './parse/count-objects.js';

export type { CountObjects };

/**
 * `git rev-list --objects-edge-aggressive`: the objects reachable from `include` and from none of `exclude`. The
 * commit walk is exact; for trees and blobs git leaves out what the trees of every excluded tip and of the commits
 * where the histories meet hold (aggressive: all excluded tips, not only the boundary), so an object that only an
 * older commit of an excluded ref has (a file brought back from history) counts as reachable from `include` alone.
 * Lines starting with `-` are the edges git names.
 */
/**
 * What to leave out: rev-list arguments after `--not` (such as `--exclude=refs/sessions/*` `--all`), and object ids
 * reachable from them named again as excluded tips — the commits annotated tags point at, whose trees git marks only
 * when they are named as commits.
 */
export interface Exclusion {
  args: string[];
  tips: string[];
}

const stdinOf = (include: string[], exclude: Exclusion) => [...include, ...exclude.tips.map((t) => `^${t}`)].map((l) => `${l}\n`).join('');

function reachableArgs(exclude: string[], extra: string[] = []): string[] {
  return ['rev-list', '--objects-edge-aggressive', ...extra, '--stdin', '--not', ...exclude];
}

/**
 * The bytes git uses on disk for the objects reachable from `include` (ref names or object ids: commits, tags,
 * trees) and from none of `exclude`: `--disk-usage`, the sum of each object's `%(objectsize:disk)` — a loose object's file, a packed one's bytes in its
 * pack (a delta counts as the delta). 0 for no `include`.
 */
export async function reachableDiskUsage(repo: RepoPaths, include: string[], exclude: Exclusion): Promise<number> {
  if (include.length === 0) return 0;
  const { stdout } = await runGit(reachableArgs(exclude.args, ['--disk-usage']), { cwd: repo.root, input: stdinOf(include, exclude) });
  return parseDiskUsage(stdout);
}

/**
 * The objects reachable from `include` and from none of `exclude` (as reachableDiskUsage), their ids only. Empty when
 * everything `include` reaches is also reachable from `exclude`.
 */
export async function reachableOnlyFrom(repo: RepoPaths, include: string[], exclude: Exclusion): Promise<string[]> {
  if (include.length === 0) return [];
  const { stdout } = await runGit(reachableArgs(exclude.args), { cwd: repo.root, input: stdinOf(include, exclude) });
  return stdout.split('\n').filter((l) => l.length > 0 && !l.startsWith('-')).map((l) => l.split(' ')[0]!);
}

/**
 * Whether every object of these commits (each commit, its tree, every tree and blob below it; parents not walked)
 * is in the object store: `git rev-list --objects --no-walk` fails on the first one missing. The reason when not.
 */
export async function commitsComplete(repo: RepoPaths, commits: string[]): Promise<{ ok: true } | { ok: false; problem: string }> {
  if (commits.length === 0) return { ok: true };
  const { code, stderr } = await runGit(['rev-list', '--objects', '--no-walk', '--stdin'], {
    cwd: repo.root,
    input: `${commits.join('\n')}\n`,
    okCodes: [128],
  });
  if (code === 0) return { ok: true };
  return { ok: false, problem: stderr.split('\n').find((l) => l.trim())?.replace(/^fatal: /, '') ?? 'an object is missing' };
}

/** `git count-objects -v`: loose objects and packs. */
export async function countObjects(repo: RepoPaths): Promise<CountObjects> {
  const { stdout } = await runGit(['count-objects', '-v'], { cwd: repo.root });
  return parseCountObjects(stdout);
}

/** git's default `gc.auto`: the loose objects above which `git gc --auto` packs them. */
export const DEFAULT_GC_AUTO = 6700;

/** The repository's `gc.auto` (as git reads it: local, global and system config, with k/m/g suffixes); 6700 when unset. */
export async function gcAutoThreshold(repo: RepoPaths): Promise<number> {
  const { stdout, code } = await runGit(['config', '--type=int', '--get', 'gc.auto'], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? Number(stdout.trim()) : DEFAULT_GC_AUTO;
}

/**
 * Packs the loose objects that are reachable into one new pack, then removes the loose copies now packed
 * (`git repack -d -l -q`: what `git gc --auto` runs for too many loose objects, without its reflog expiry, ref
 * packing and pruning). Objects borrowed from an alternate are left there (-l).
 */
export async function packLooseObjects(repo: RepoPaths): Promise<void> {
  await runGit(['repack', '-d', '-l', '-q'], { cwd: repo.root });
}

/** The object store's files: loose objects (the 256 fan-out folders) and packs, in apparent bytes. */
export interface ObjectStoreBytes {
  looseBytes: number;
  packBytes: number;
}

/** The apparent sizes of the loose object files and of everything in objects/pack/ of the common git dir. */
export function objectStoreBytes(repo: RepoPaths): ObjectStoreBytes {
  const objects = join(repo.commonDir, 'objects');
  let looseBytes = 0;
  if (existsSync(objects)) {
    for (const name of readdirSync(objects)) if (/^[0-9a-f]{2}$/.test(name)) looseBytes += folderSize(join(objects, name)).bytes;
  }
  return { looseBytes, packBytes: folderSize(join(objects, 'pack')).bytes };
}
