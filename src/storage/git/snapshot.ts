import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import { GitCommandError, runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { inScratchObjects } from './scratch-objects.js';
import { tempIndexPath } from './temp-index.js';
import { pathBytes, pathText, pathWithin, rawJoin, rawWithin } from '../../shared/path-text.js';
import { gitGlobSafe, globToRegExp } from '../../shared/glob.js';
import { parseNameStatus } from './parse/name-status.js';
import { parseNameList, splitNul } from './parse/nul.js';
import { parseIgnoredReport, parseSparseReport, parseUnmatchedPathspec } from './parse/add-stderr.js';

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

function keepIndex(repo: RepoPaths, index: string, name: string, tree: string, skip: string[], tracked: Buffer[] | undefined): void {
  // A dry run's tree lives in a throwaway object store: an index saved under its id would outlive it.
  if (inScratchObjects()) return;
  try {
    // The tree id is in the name, so a saved index can never be taken for another tree's.
    forgetSavedIndex(repo, name);
    mkdirSync(savedIndexDir(repo), { recursive: true });
    const saved = join(savedIndexDir(repo), `${name}.${tree}`);
    // The list first: an index without its list only costs a listing; a list is never read without its index.
    if (tracked && skip.length > 0) writeFileSync(`${saved}.skip`, nulList([skipListHeader(skip)], tracked));
    renameSync(index, saved);
  } catch {
    // Only a speed-up: the next snapshot reads the base tree instead.
  }
}

const NUL = Buffer.from([0]);

/** What a saved list was made for: these rules, matched as this version of skipMatcher matches them. */
const skipListHeader = (skip: string[]) => `skip-v2 ${JSON.stringify(skip)}`;

/** The tracked files `skip` matches in the saved index `saved`, as the snapshot that saved it listed them; undefined when not listed for these globs. */
function readSkipList(saved: string, skip: string[]): Buffer[] | undefined {
  if (skip.length === 0) return [];
  try {
    const records = splitNul(readFileSync(`${saved}.skip`));
    return records[0]?.toString('utf8') === skipListHeader(skip) ? records.slice(1) : undefined;
  } catch {
    return undefined;
  }
}

/** What a snapshot wrote, and what of `skip` it left out. */
export interface Snapshot {
  tree: string;
  /**
   * Files `skip` matched that the snapshot left as `baseTree` has them although they differ: new files, and tracked
   * ones changed or deleted (text form, see path-text.ts). Those named exactly in `paths` are taken, not listed.
   */
  skipped: string[];
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
  return (await snapshot(repo, opts)).tree;
}

/** snapshotTree, also telling which files `skip` left out. */
export async function snapshot(repo: RepoPaths, opts: SnapshotTreeOptions): Promise<Snapshot> {
  const tmpIndex = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: tmpIndex };
  const cwd = repo.root;
  const skip = opts.skip ?? [];
  try {
    const saved = opts.reuseIndexAs ? join(savedIndexDir(repo), `${opts.reuseIndexAs}.${opts.baseTree}`) : undefined;
    let known: Buffer[] | undefined;
    if (saved && existsSync(saved)) {
      copyIndex(saved, tmpIndex);
      known = readSkipList(saved, skip);
    } else {
      const userIndex = join(repo.gitDir, 'index');
      if (existsSync(userIndex)) copyIndex(userIndex, tmpIndex);
      // --reset rather than -m: -m refuses when the user's index has entries that are not up to date, and would
      // then force a full re-hash. --reset keeps the stat data of entries that match and drops unmerged ones.
      await runGit(['read-tree', '--reset', opts.baseTree], { cwd, env });
    }
    const tracked = new TrackedSkipped(repo, env, skip, known);
    const skipped = await addChanges(repo, { env, count: lineCounter(opts.onProgress) }, { tree: opts.baseTree, known: opts.excludesInBase }, opts.paths, opts.excludes, skip, tracked);
    const { stdout } = await runGit(['write-tree'], { cwd, env });
    const tree = stdout.trim();
    if (opts.reuseIndexAs) keepIndex(repo, tmpIndex, opts.reuseIndexAs, tree, skip, tracked.after());
    return { tree, skipped };
  } finally {
    rmSync(tmpIndex, { force: true });
    rmSync(`${tmpIndex}.lock`, { force: true });
  }
}

/**
 * `git add -A` of `paths` (every change when undefined) into the index in `env`, leaving `excludes` as the index
 * has them, and the files `skip` matches too unless named exactly. Only the excludes that overlap a named path are
 * passed: an exclude beside a named untracked folder can make git skip that folder. A named path inside an exclude
 * is dropped, never added. Returns what `skip` left out (see Snapshot.skipped).
 */
async function addChanges(repo: RepoPaths, run: AddRun, base: Base, paths: string[] | undefined, excludes: string[], skip: string[], tracked: TrackedSkipped): Promise<string[]> {
  if (!paths) return addAllBut(repo, run, base, ['.'], excludes, tracked);
  const named = paths.filter((p) => !excludes.some((e) => pathWithin(p, e)));
  // Files and folders go in separate calls: git (2.39) adds no file named inside an untracked folder three or more
  // levels down once any exclude pathspec is given, and excludes (the secrets rules among them) only matter inside
  // a named folder. A named file is wanted even when it matches a secrets rule: naming it is the way to take it.
  const folders = named.filter((p) => isFolder(join(repo.root, p)));
  const files = named.filter((p) => !folders.includes(p));
  if (files.length > LONG_LIST) await updateNamedFiles(repo, run, files);
  else if (files.length > 0) await add(repo, run, nulList(files.map((p) => `:(literal)${p}`)), []);
  // A named file the rules match is now tracked (or, gone, no longer): the list is made again next time.
  if (files.some((p) => tracked.matcher.test(pathBytes(p)))) tracked.forget();
  if (folders.length === 0) return [];
  return addAllBut(repo, run, base, folders, excludes.filter((e) => folders.some((p) => pathWithin(e, p))), tracked);
}

/**
 * Every change under `roots` (`.`: the project) but `excludes` (paths left as the index has them) and the files the
 * skip rules match, which are never read, hashed or added: the tracked ones are held (by name, or past
 * LONG_PROTECT by the assume-unchanged bit), the untracked ones not added. Returns the skipped files that differ
 * from the index.
 *
 * Not `git add -A -- :(exclude,glob)<rule>…`: git matches every path it walks against every glob, +140 ms at
 * 50,000 files with the 17 default secrets rules and +700 ms at 250,000 (docs/benchmarks.md). Here the rules are
 * matched in JS against the tracked files once per session (TrackedSkipped) and against the untracked ones, which
 * `ls-files -o` lists while `add -u` updates the tracked ones beside it; what the rules leave is added by name.
 * Rules JS cannot match exactly as git does stay git pathspecs.
 */
async function addAllBut(repo: RepoPaths, run: AddRun, base: Base, roots: string[], excludes: string[], tracked: TrackedSkipped): Promise<string[]> {
  const cwd = repo.root;
  const { env } = run;
  const m = sparse(repo) ? tracked.matcher.allToGit() : tracked.matcher;
  const hard = m.hard.map((g) => `:(exclude,glob)${g}`);
  const skipped: string[] = [];
  // `add -u` and `ls-files -o` take an exclude that git ignores without a word; only `add -A` needs those dropped.
  const kept = m.any ? excludes : await withoutIgnored(repo, base, excludes);
  const scope = [...roots.map((r) => (r === '.' ? '.' : `:(literal)${r}`)), ...kept.map((e) => `:(exclude,literal)${e}`), ...hard];
  if (!m.any) {
    await add(repo, run, nulList(scope), kept);
  } else {
    if (!roots.includes('.')) await refuseIgnoredFolders(repo, base, roots);
    const rootBytes = roots.map((r) => pathBytes(r));
    const inRoots = roots.includes('.') ? () => true : (p: Buffer) => rootBytes.some((r) => rawWithin(p, r));
    const keptBytes = kept.map((e) => pathBytes(e));
    const protect = (await tracked.list()).filter((p) => inRoots(p) && !keptBytes.some((k) => rawWithin(p, k)));
    // Few tracked files to leave as they are: excluded by name. Many: git's pathspec matching grows with their
    // square (40,000 took 38 s), so they are marked assume-unchanged for the `add -u` instead (it then never reads
    // them) and unmarked after.
    const many = protect.length > LONG_PROTECT;
    if (many) await runGit(['update-index', '-z', '--assume-unchanged', '--stdin'], { cwd, env, input: nulList([], protect) });
    try {
      const [, walked] = await Promise.all([
        add(repo, run, nulList(scope, many ? [] : protect.map((p) => Buffer.concat([LITERAL_EXCLUDE, p]))), kept, ['-u']),
        runGit(['ls-files', '-z', '-o', '--exclude-standard', '--', ...scope], { cwd, env }),
      ]);
      // A folder entry (an embedded repository, `dir/`) is matched by its name, as git's exclude matched it.
      const ruled = (p: Buffer) => m.test(p[p.length - 1] === 0x2f ? p.subarray(0, -1) : p);
      const untracked = splitNul(walked.stdoutBuf);
      const fresh = untracked.filter((p) => !ruled(p));
      if (fresh.length > 0) await addUntracked(repo, run, fresh);
      skipped.push(...untracked.filter(ruled).map(pathText));
    } finally {
      if (many) await runGit(['update-index', '-z', '--no-assume-unchanged', '--stdin'], { cwd, env, input: nulList([], protect) });
    }
    if (protect.length > 0) skipped.push(...(await changedTracked(repo, env, protect)).map(pathText));
  }
  if (hard.length > 0) skipped.push(...(await matchingChanges(repo, env, m.hard)).filter((p) => inRootsText(roots, p)));
  return [...new Set(skipped)];
}

/** Past this many tracked files the rules match, they are left alone by the assume-unchanged bit, not by pathspecs. */
const LONG_PROTECT = 100;

/**
 * A sparse checkout (its pattern file exists): the walk-and-add-by-name route would take files outside the
 * sparse definition that `git add -A` refuses, so every rule stays a git pathspec there.
 */
function sparse(repo: RepoPaths): boolean {
  return existsSync(join(repo.commonDir, 'info', 'sparse-checkout'));
}

/**
 * A named folder that .gitignore ignores and the base does not hold is refused, as `git add` refuses it (`add -u`
 * and `ls-files -o` would say nothing, and the checkpoint would find nothing changed).
 */
async function refuseIgnoredFolders(repo: RepoPaths, base: Base, folders: string[]): Promise<void> {
  // base.known lists which excludes the base holds, not which named folders: the tree is asked.
  const refused = await ignoredOutsideBase(repo, base.tree, undefined, folders);
  if (refused.size > 0) throw new SpecmapError('INVALID_INPUT', `ignored by .gitignore, so not snapshotted: ${[...refused].join(', ')}`);
}

const LITERAL_EXCLUDE = Buffer.from(':(exclude,literal)');
const inRootsText = (roots: string[], p: string) => roots.includes('.') || roots.some((r) => pathWithin(p, r));

/**
 * NUL-terminated records, as `-z --stdin` and `--pathspec-file-nul` read them: text ones (UTF-8), then ones given as
 * bytes (names that may not be UTF-8).
 */
function nulList(texts: string[], raw: Buffer[] = []): Buffer {
  return Buffer.concat([...texts.flatMap((p) => [Buffer.from(p, 'utf8'), NUL]), ...raw.flatMap((p) => [p, NUL])]);
}

/**
 * Adds untracked, not ignored files by name: `update-index --add` (linear in their number; `git add` matches every
 * path it walks against every name). A folder entry (`ls-files -o` shows an embedded repository as `dir/`) goes
 * through `git add`, which records it as git does; so does everything when update-index refuses (a file where the
 * index still has a folder, say), for git's own message.
 */
async function addUntracked(repo: RepoPaths, run: AddRun, paths: Buffer[]): Promise<void> {
  const { env } = run;
  const folders = paths.filter((p) => p[p.length - 1] === 0x2f);
  const files = paths.filter((p) => p[p.length - 1] !== 0x2f);
  const literal = (list: Buffer[]) => nulList([], list.map((p) => Buffer.concat([LITERAL, p])));
  if (files.length > 0) {
    try {
      // --remove: a file gone since the walk listed it (an editor's swap file) is skipped, not an error.
      await runGit(['update-index', '--add', '--remove', '-z', '--stdin', ...(run.count ? ['--verbose'] : [])], { cwd: repo.root, env, input: nulList([], files), onStdout: run.count });
    } catch {
      const still = files.filter((p) => existsInTree(rawJoin(repo.root, p)));
      if (still.length > 0) await add(repo, run, literal(still), []);
    }
  }
  if (folders.length > 0) await add(repo, run, literal(folders), []);
}

const LITERAL = Buffer.from(':(literal)');

/** Which of `paths` (tracked) differ in the working tree from the index in `env`: changed or deleted. */
async function changedTracked(repo: RepoPaths, env: Record<string, string>, paths: Buffer[]): Promise<Buffer[]> {
  const texts = paths.map((p) => p.toString('utf8'));
  // Names that are not UTF-8 cannot be passed as arguments as they are, nor can thousands (E2BIG, and pathspec
  // matching that grows with their square): then every entry is compared (a full stat) and the list kept.
  const exact = paths.length <= LONG_PROTECT && texts.every((t, i) => Buffer.from(t, 'utf8').equals(paths[i]!));
  const args = exact ? ['--', ...texts.map((t) => `:(literal)${t}`)] : [];
  const { stdoutBuf } = await runGit(['diff-files', '--name-only', '-z', '--no-renames', ...args], { cwd: repo.root, env });
  const wanted = new Set(paths.map((p) => p.toString('latin1')));
  return splitNul(stdoutBuf).filter((p) => wanted.has(p.toString('latin1')));
}

/** Files git's glob pathspecs `globs` match that differ from the index in `env`: untracked (not ignored), or changed. */
async function matchingChanges(repo: RepoPaths, env: Record<string, string>, globs: string[]): Promise<string[]> {
  const specs = ['--', ...globs.map((g) => `:(glob)${g}`)];
  const [untracked, changed] = await Promise.all([
    runGit(['ls-files', '-z', '-o', '--exclude-standard', ...specs], { cwd: repo.root, env }),
    runGit(['diff-files', '--name-only', '-z', '--no-renames', ...specs], { cwd: repo.root, env }),
  ]);
  return [...splitNul(untracked.stdoutBuf), ...splitNul(changed.stdoutBuf)].map(pathText);
}

/**
 * The skip rules, matched in JS exactly as git's glob pathspecs match them, for the two shapes where that is plain:
 * `**\/<name>` (a file or folder of that name at any depth: one expression on the last segment) and
 * `**\/<name>/**` (anything inside a folder of that name at any depth: on every folder segment), `<name>` a glob
 * gitGlobSafe accepts, without a slash, in ASCII (matched byte for byte against names read as latin1, so `?` is one
 * byte as in git). Every other rule — a path, `./`, a trailing `/`, a class — is left to git as a pathspec (`hard`),
 * which normalises and walks it as it always did.
 */
export interface SkipMatcher {
  any: boolean;
  hard: string[];
  test(path: Buffer): boolean;
  /** The same rules, every one left to git. */
  allToGit(): SkipMatcher;
}

const NAME_RULE = /^\*\*\/([^/]+)$/;
const INSIDE_RULE = /^\*\*\/([^/]+)\/\*\*$/;
const jsName = (name: string) => gitGlobSafe(`**/${name}`) && !name.includes('**') && /^[\x20-\x7e]*$/.test(name);

export function skipMatcher(skip: readonly string[]): SkipMatcher {
  const names: string[] = [];
  const folders: string[] = [];
  const hard: string[] = [];
  const body = (g: string) => globToRegExp(g).source.slice(1, -1);
  for (const g of skip) {
    const name = NAME_RULE.exec(g)?.[1];
    const inside = INSIDE_RULE.exec(g)?.[1];
    if (name !== undefined && jsName(name)) names.push(body(name));
    else if (inside !== undefined && jsName(inside)) folders.push(body(inside));
    else hard.push(g);
  }
  const name = names.length > 0 ? new RegExp(`^(?:${names.join('|')})$`) : undefined;
  const folder = folders.length > 0 ? new RegExp(`^(?:${folders.join('|')})$`) : undefined;
  return {
    any: names.length + folders.length > 0,
    hard,
    test(p) {
      const t = p.toString('latin1');
      const last = t.lastIndexOf('/');
      if (name?.test(t.slice(last + 1))) return true;
      if (!folder || last < 0) return false;
      return t.slice(0, last).split('/').some((seg) => folder.test(seg));
    },
    allToGit: () => ({ any: false, hard: [...skip], test: () => false, allToGit() { return this; } }),
  };
}

/**
 * The tracked files of a snapshot's index that the skip rules match. A snapshot leaves them as its base has them,
 * so the next snapshot's index holds the same ones: the list is saved beside the index (keepIndex) and read back
 * with it, and made from the index (`ls-files`) only when there is none.
 */
class TrackedSkipped {
  readonly matcher: SkipMatcher;
  private known: Buffer[] | undefined;
  private stale = false;

  constructor(private readonly repo: RepoPaths, private readonly env: Record<string, string>, skip: string[], known: Buffer[] | undefined) {
    this.matcher = skipMatcher(skip);
    this.known = known;
  }

  async list(): Promise<Buffer[]> {
    if (!this.known) {
      const { stdoutBuf } = await runGit(['ls-files', '-z'], { cwd: this.repo.root, env: this.env });
      this.known = splitNul(stdoutBuf).filter((p) => this.matcher.test(p));
    }
    return this.known;
  }

  /** The index changed in a way the list does not follow. */
  forget(): void {
    this.stale = true;
  }

  /** The list for the index the snapshot ends with, when known. */
  after(): Buffer[] | undefined {
    return this.stale ? undefined : this.known;
  }
}

async function add(repo: RepoPaths, run: AddRun, specs: Buffer, excludes: string[], mode: string[] = ['-A']): Promise<void> {
  const { env } = run;
  try {
    // Pathspecs go through stdin (NUL-separated, magic like :(literal) still applies): a checkpoint may name
    // 100,000 files, far past what one argv can hold (spawn E2BIG).
    const verbose = run.count ? ['--verbose'] : [];
    await runGit(['add', ...mode, ...verbose, '--pathspec-from-file=-', '--pathspec-file-nul'], { cwd: repo.root, env, input: specs, onStdout: run.count });
  } catch (err) {
    // git reports an exclude that reaches an ignored folder as "ignored" and exits 1, having added everything
    // else and written the index: only the user's own ignored paths are an error.
    const ignored = ignoredPaths(err);
    if (!ignored || ignored.some((p) => !excludes.some((e) => pathWithin(p, e) || pathWithin(e, p)))) throw explainAddFailure(err);
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

function existsInTree(path: string | Buffer): boolean {
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


/**
 * Drops excludes that git ignores and that hold nothing the index tracks: their files are never added anyway, and
 * naming them makes `git add` report them as ignored. The index here always holds exactly `baseTree` (a saved index
 * of that tree, or `read-tree` of it), so "tracked" is "in the base tree": `ls-tree` says which are, side by side
 * with `check-ignore --no-index`, which never reads the index (37 ms at 100,000 files, on every checkpoint).
 */
async function withoutIgnored(repo: RepoPaths, base: Base, excludes: string[]): Promise<string[]> {
  const dropped = await ignoredOutsideBase(repo, base.tree, base.known, excludes);
  return excludes.filter((p) => !dropped.has(p));
}

/**
 * Which of `paths` .gitignore ignores and `tree` does not hold (`inTree`: which of them it holds, when known):
 * `ls-tree` side by side with `check-ignore --no-index`, which never reads the index.
 */
async function ignoredOutsideBase(repo: RepoPaths, tree: string, inTree: ReadonlySet<string> | undefined, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const [held, ignoredOut] = await Promise.all([
    inTree ?? treeEntries(repo, tree, paths).then((l) => new Set(l)),
    runGit(['check-ignore', '--no-index', '-z', '--stdin'], { cwd: repo.root, input: nulList(paths), okCodes: [1] }),
  ]);
  return new Set(parseNameList(ignoredOut.stdoutBuf).filter((p) => !held.has(p)));
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
  const outside = parseSparseReport(err.stderr);
  if (outside) {
    const list = `${outside.slice(0, 10).join(', ')}${outside.length > 10 ? ', …' : ''}`;
    return new SpecmapError('CONFLICT', `outside the sparse-checkout definition, which git will not snapshot: ${list} (move them inside, or widen it: git sparse-checkout add <folder>); nothing was recorded`, { kind: 'sparse-checkout', files: outside });
  }
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
