import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { GitCommandError, runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { inScratchObjects } from './scratch-objects.js';
import { tempIndexPath } from './temp-index.js';
import { pathWithin } from '../../shared/path-text.js';
import { parseNameStatus } from './parse/name-status.js';
import { parseNameList } from './parse/nul.js';
import { parseIgnoredReport, parseUnmatchedPathspec } from './parse/add-stderr.js';

export interface SnapshotTreeOptions {
  /** The tree the snapshot starts from (the previous checkpoint's tree). */
  baseTree: string;
  /** Project-relative paths to bring up to date; undefined means every change in the working tree. */
  paths?: string[];
  /** Project-relative paths (files, folders or symlinks) left as `baseTree` has them: never added, changed or removed. */
  excludes: string[];
  /** Which of `excludes` `baseTree` holds, when the caller knows already (saves a `ls-tree`). */
  excludesInBase?: ReadonlySet<string>;
  /**
   * Keep the index this snapshot ends with, under this name (a session id), and start from it next time when
   * `baseTree` is the tree it produced. It then has fresh stat data and a valid cache-tree, so neither `read-tree`
   * nor a `write-tree` of the whole project is needed: on 50,000 files that is most of the fixed cost.
   */
  reuseIndexAs?: string;
  /**
   * Globs (git's `glob` pathspec magic, project-relative) of files left as `baseTree` has them — never read, hashed
   * or added — unless `paths` names one of them exactly: secrets.
   */
  skip?: string[];
  /** Told how many files git has added, updated or removed so far (`--verbose` names each on stdout; they are counted). */
  onProgress?: (files: number) => void;
}

/** The tree a snapshot starts from, and which excluded paths it holds when that is known already. */
interface Base {
  tree: string;
  known: ReadonlySet<string> | undefined;
}

const savedIndexDir = (repo: RepoPaths) => join(repo.gitDir, 'specmap', 'index');

/**
 * Copies an index file keeping its mtime: git trusts an entry's cached stat data only if the entry is older than
 * the index file, and a copy stamped "now" would make entries changed just after the original was written look clean.
 */
function copyIndex(from: string, to: string): void {
  copyFileSync(from, to);
  const st = statSync(from);
  utimesSync(to, st.atime, st.mtime);
}

/** Drops the saved index of `name` (when its session ends). */
export function forgetSavedIndex(repo: RepoPaths, name: string): void {
  const dir = savedIndexDir(repo);
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f.startsWith(`${name}.`)) rmSync(join(dir, f), { force: true });
}

function keepIndex(repo: RepoPaths, index: string, name: string, tree: string): void {
  // A dry run's tree lives in a throwaway object store: an index saved under its id would outlive it.
  if (inScratchObjects()) return;
  try {
    // The tree id is in the name, so a saved index can never be taken for another tree's.
    forgetSavedIndex(repo, name);
    mkdirSync(savedIndexDir(repo), { recursive: true });
    renameSync(index, join(savedIndexDir(repo), `${name}.${tree}`));
  } catch {
    // Only a speed-up: the next snapshot reads the base tree instead.
  }
}

/**
 * Writes the tree of "`baseTree` with the chosen paths as they are in the working tree now" and returns its id,
 * without touching the user's index, HEAD or files — the way `git stash create` works, with an index of our own.
 *
 * The temporary index starts as a copy of the user's index and is then read from `baseTree` with `read-tree --reset`,
 * which keeps the cached stat data of every entry whose content matches; `add -A` then re-hashes only files whose
 * stat data changed, so the cost follows the changed files rather than the size of the repository.
 */
export async function snapshotTree(repo: RepoPaths, opts: SnapshotTreeOptions): Promise<string> {
  const tmpIndex = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: tmpIndex };
  const cwd = repo.root;
  try {
    const saved = opts.reuseIndexAs ? join(savedIndexDir(repo), `${opts.reuseIndexAs}.${opts.baseTree}`) : undefined;
    if (saved && existsSync(saved)) {
      copyIndex(saved, tmpIndex);
    } else {
      const userIndex = join(repo.gitDir, 'index');
      if (existsSync(userIndex)) copyIndex(userIndex, tmpIndex);
      // --reset rather than -m: -m refuses when the user's index has entries that are not up to date, and would
      // then force a full re-hash. --reset keeps the stat data of entries that match and drops unmerged ones.
      await runGit(['read-tree', '--reset', opts.baseTree], { cwd, env });
    }
    await addChanges(repo, { env, count: lineCounter(opts.onProgress) }, { tree: opts.baseTree, known: opts.excludesInBase }, opts.paths, opts.excludes, opts.skip ?? []);
    const { stdout } = await runGit(['write-tree'], { cwd, env });
    const tree = stdout.trim();
    if (opts.reuseIndexAs) keepIndex(repo, tmpIndex, opts.reuseIndexAs, tree);
    return tree;
  } finally {
    rmSync(tmpIndex, { force: true });
    rmSync(`${tmpIndex}.lock`, { force: true });
  }
}

/**
 * `git add -A` of `paths` (every change when undefined) into the index in `env`, leaving `excludes` as the index
 * has them. Only the excludes that overlap a named path are passed: an exclude beside a named untracked folder
 * can make git skip that folder. A named path inside an exclude is dropped, never added.
 */
async function addChanges(repo: RepoPaths, run: AddRun, base: Base, paths: string[] | undefined, excludes: string[], skip: string[]): Promise<void> {
  const skipSpecs = skip.map((g) => `:(exclude,glob)${g}`);
  if (!paths) {
    const kept = await withoutIgnored(repo, base, excludes);
    await add(repo, run, ['.', ...kept.map((e) => `:(exclude,literal)${e}`), ...skipSpecs], kept);
    return;
  }
  const named = paths.filter((p) => !excludes.some((e) => pathWithin(p, e)));
  // Files and folders go in separate calls: git (2.39) adds no file named inside an untracked folder three or more
  // levels down once any exclude pathspec is given, and excludes (the secrets rules among them) only matter inside
  // a named folder. A named file is wanted even when it matches a secrets rule: naming it is the way to take it.
  const folders = named.filter((p) => isFolder(join(repo.root, p)));
  const files = named.filter((p) => !folders.includes(p));
  if (files.length > LONG_LIST) await updateNamedFiles(repo, run, files);
  else if (files.length > 0) await add(repo, run, files.map((p) => `:(literal)${p}`), []);
  if (folders.length > 0) {
    const kept = await withoutIgnored(repo, base, excludes.filter((e) => folders.some((p) => pathWithin(e, p))));
    await add(repo, run, [...folders.map((p) => `:(literal)${p}`), ...kept.map((e) => `:(exclude,literal)${e}`), ...skipSpecs], kept);
  }
}

/**
 * Past this many named files `git add` is not used: it matches every path it walks against every pathspec, so
 * 20,000 named files took 13 s and 100,000 would take minutes. `update-index --stdin` takes them in linear time.
 */
const LONG_LIST = 1000;

/**
 * What `git add -A -- :(literal)<file>...` does for a long list of named files (never folders), in linear time:
 * each is added, updated or (gone from the working tree) removed by `update-index --add --remove -z --stdin`. The
 * two refusals of `git add` are kept: a name that is neither in the working tree nor in the index, and an
 * untracked file .gitignore ignores (check-ignore, with this index, reports no tracked file).
 */
async function updateNamedFiles(repo: RepoPaths, run: AddRun, files: string[]): Promise<void> {
  const cwd = repo.root;
  const { env } = run;
  const indexed = new Set(parseNameList((await runGit(['ls-files', '-z'], { cwd, env })).stdoutBuf));
  const unmatched = files.find((p) => !indexed.has(p) && !existsInTree(join(repo.root, p)));
  if (unmatched !== undefined) throw new SpecmapError('INVALID_INPUT', `${unmatched}: no such file now or in the previous checkpoint`);
  const untracked = files.filter((p) => !indexed.has(p));
  if (untracked.length > 0) {
    // --no-index: with the index, check-ignore took 12 s for 2,000 names beside 100,000 tracked files.
    const { stdoutBuf } = await runGit(['check-ignore', '--no-index', '-z', '--stdin'], { cwd, env, input: nulList(untracked), okCodes: [1] });
    const ignored = parseNameList(stdoutBuf);
    if (ignored.length > 0) throw new SpecmapError('INVALID_INPUT', `ignored by .gitignore, so not snapshotted: ${ignored.slice(0, 10).join(', ')}${ignored.length > 10 ? ` and ${ignored.length - 10} more` : ''}`);
  }
  await runGit(['update-index', '--add', '--remove', '-z', '--stdin', ...(run.count ? ['--verbose'] : [])], { cwd, env, input: nulList(files), onStdout: run.count });
}

function existsInTree(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The index a snapshot adds to, and the counter of what `--verbose` reports (when someone is told). */
interface AddRun {
  env: Record<string, string>;
  count?: (chunk: Buffer) => void;
}

/** Counts the lines of `--verbose` output (one per file added, updated or removed) as they come. */
function lineCounter(onProgress: ((files: number) => void) | undefined): ((chunk: Buffer) => void) | undefined {
  if (!onProgress) return undefined;
  let files = 0;
  return (chunk) => {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) files += 1;
    onProgress(files);
  };
}

async function add(repo: RepoPaths, run: AddRun, specs: string[], excludes: string[]): Promise<void> {
  const { env } = run;
  try {
    // Pathspecs go through stdin (NUL-separated, magic like :(literal) still applies): a checkpoint may name
    // 100,000 files, far past what one argv can hold (spawn E2BIG).
    const verbose = run.count ? ['--verbose'] : [];
    await runGit(['add', '-A', ...verbose, '--pathspec-from-file=-', '--pathspec-file-nul'], { cwd: repo.root, env, input: nulList(specs), onStdout: run.count });
  } catch (err) {
    // git reports an exclude that reaches an ignored folder as "ignored" and exits 1, having added everything
    // else and written the index: only the user's own ignored paths are an error.
    const ignored = ignoredPaths(err);
    if (!ignored || ignored.some((p) => !excludes.some((e) => pathWithin(p, e) || pathWithin(e, p)))) throw explainAddFailure(err);
  }
}

/** Pathspecs as `--pathspec-file-nul` reads them. */
const nulList = (specs: string[]) => `${specs.join('\0')}\0`;

/**
 * Files matching `globs` (git glob pathspecs) that a snapshot on top of `baseTree` would otherwise have taken:
 * untracked and not ignored, or changed. What `skip` left out, to tell the user. Compared with the index the
 * snapshot itself starts from (`reuseIndexAs`, see snapshotTree) when there is one: it holds exactly `baseTree`
 * with fresh stat data, where the user's index may be stale and make `ls-files -m` re-read every file (100,000
 * files: 4 s). Only read here, so it can run beside the snapshot.
 */
export async function filesMatching(repo: RepoPaths, globs: string[], base?: { tree: string; reuseIndexAs: string }): Promise<string[]> {
  if (globs.length === 0) return [];
  // A hard link of the saved index: the snapshot beside this one replaces the saved index when it is done.
  let index: string | undefined;
  if (base) {
    try {
      index = tempIndexPath(repo);
      linkSync(join(savedIndexDir(repo), `${base.reuseIndexAs}.${base.tree}`), index);
    } catch {
      index = undefined;
    }
  }
  try {
    // Two processes side by side rather than `ls-files -o -m`, whose -m lstat()s every index entry, not only those
    // the pathspecs match (0.9 s of its 1.5 s at 100,000 files); diff-files stats only the matching ones.
    const specs = ['--', ...globs.map((g) => `:(glob)${g}`)];
    const opts = { cwd: repo.root, env: index ? { GIT_INDEX_FILE: index } : undefined };
    const [untracked, changed] = await Promise.all([
      runGit(['ls-files', '-z', '-o', '--exclude-standard', ...specs], opts),
      runGit(['diff-files', '--name-only', '-z', '--no-renames', ...specs], opts),
    ]);
    return [...new Set([...parseNameList(untracked.stdoutBuf), ...parseNameList(changed.stdoutBuf)])].sort();
  } finally {
    if (index) rmSync(index, { force: true });
  }
}

/**
 * Drops excludes that git ignores and that hold nothing the index tracks: their files are never added anyway, and
 * naming them makes `git add` report them as ignored. The index here always holds exactly `baseTree` (a saved index
 * of that tree, or `read-tree` of it), so "tracked" is "in the base tree": `ls-tree` says which are, side by side
 * with `check-ignore --no-index`, which never reads the index (37 ms at 100,000 files, on every checkpoint).
 */
async function withoutIgnored(repo: RepoPaths, base: Base, excludes: string[]): Promise<string[]> {
  if (excludes.length === 0) return excludes;
  const cwd = repo.root;
  const [inBase, ignoredOut] = await Promise.all([
    base.known ?? treeEntries(repo, base.tree, excludes).then((l) => new Set(l)),
    runGit(['check-ignore', '--no-index', '-z', '--stdin'], { cwd, input: `${excludes.join('\0')}\0`, okCodes: [1] }),
  ]);
  const ignored = new Set(parseNameList(ignoredOut.stdoutBuf));
  return excludes.filter((p) => inBase.has(p) || !ignored.has(p));
}

/** The paths git's "ignored by one of your .gitignore files" report lists, if `err` is that report. */
function ignoredPaths(err: unknown): string[] | undefined {
  return err instanceof GitCommandError ? parseIgnoredReport(err.stderr) : undefined;
}

function explainAddFailure(err: unknown): unknown {
  if (!(err instanceof GitCommandError)) return err;
  const unmatched = parseUnmatchedPathspec(err.stderr);
  if (unmatched !== undefined) {
    return new SpecmapError('INVALID_INPUT', `${unmatched}: no such file now or in the previous checkpoint`);
  }
  const ignored = ignoredPaths(err);
  if (ignored) return new SpecmapError('INVALID_INPUT', `ignored by .gitignore, so not snapshotted: ${ignored.join(', ')}`);
  return err;
}

export type ChangeStatus = 'A' | 'M' | 'D' | 'T';

export interface TreeChange {
  status: ChangeStatus;
  path: string;
}

/** Files that differ between two trees (or commits), without rename detection; paths in text form (fs/path-text). */
export async function changedFiles(repo: RepoPaths, from: string, to: string): Promise<TreeChange[]> {
  const { stdoutBuf } = await runGit(['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to], { cwd: repo.root });
  return parseNameStatus(stdoutBuf).map(({ status, path }) => ({ status: status as ChangeStatus, path }));
}

/**
 * The entries of a tree that `paths` name, without recursing: a path ending in `/` lists the entries directly
 * inside that folder, any other path lists itself if the tree has it (file or folder).
 */
export async function treeEntries(repo: RepoPaths, tree: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const { stdoutBuf } = await runGit(['--literal-pathspecs', 'ls-tree', '-z', '--name-only', '--full-tree', tree, '--', ...paths], { cwd: repo.root });
  return parseNameList(stdoutBuf);
}

/** The tree id of a commit (or a tree id itself). */
export async function treeOf(repo: RepoPaths, rev: string): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--verify', '--end-of-options', `${rev}^{tree}`], { cwd: repo.root });
  return stdout.trim();
}

/** Whether an object exists in the repository (false once it was pruned or never fetched). */
export async function hasObject(repo: RepoPaths, oid: string): Promise<boolean> {
  const { code } = await runGit(['cat-file', '-e', `${oid}^{object}`], { cwd: repo.root, okCodes: [1, 128] });
  return code === 0;
}
