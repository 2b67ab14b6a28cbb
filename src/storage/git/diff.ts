import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseBatchCheck } from './parse/cat-file.js';
import { parseNumstat, type NumstatEntry } from './parse/numstat.js';

export type { NumstatEntry };
import { parseAddedLines, type AddedLines } from './parse/patch.js';

export type { AddedLines } from './parse/patch.js';

export interface DiffOptions {
  /** `--stat` summary. */
  stat?: boolean;
  /** The patch itself (default when neither stat nor nameStatus is asked for). */
  patch?: boolean;
  color?: boolean;
  /** Project paths (files or folders) left out of the diff. */
  exclude?: string[];
}

/** `git diff` between two commits or trees, exactly as git prints it (so users can compare the two). */
export async function diffText(repo: RepoPaths, from: string, to: string, opts: DiffOptions = {}): Promise<string> {
  const args = ['diff', '--no-ext-diff', '--no-textconv', `--color=${opts.color ? 'always' : 'never'}`];
  const patch = opts.patch ?? !opts.stat;
  if (opts.stat) args.push('--stat');
  if (patch) args.push('-p');
  args.push(from, to, '--', ...excludeSpecs(opts.exclude));
  const { stdout } = await runGit(args, { cwd: repo.root });
  return stdout;
}

/** Pathspecs that leave `paths` out (an exclude alone would match nothing, so `.` comes first). */
const excludeSpecs = (paths: string[] = []) => (paths.length === 0 ? [] : ['.', ...paths.map((p) => `:(exclude,literal)${p}`)]);

/** Lines added and removed per file between two commits or trees, without rename detection, `exclude` left out. */
export async function numstat(repo: RepoPaths, from: string, to: string, exclude: string[] = []): Promise<NumstatEntry[]> {
  const { stdoutBuf } = await runGit(['diff-tree', '-r', '-z', '--no-renames', '--numstat', from, to, '--', ...excludeSpecs(exclude)], { cwd: repo.root });
  return parseNumstat(stdoutBuf);
}

/** Which of `oids` exist in the object store, with one `cat-file --batch-check`. */
export async function existingObjects(repo: RepoPaths, oids: string[]): Promise<Set<string>> {
  const unique = [...new Set(oids)].filter((o) => /^[0-9a-f]{40,64}$/.test(o));
  if (unique.length === 0) return new Set();
  const { stdout } = await runGit(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    cwd: repo.root,
    input: `${unique.join('\n')}\n`,
  });
  return new Set(parseBatchCheck(stdout).filter((e) => e.type !== 'missing').map((e) => e.oid));
}

/**
 * Whether every object of the trees of `commits` can be read: `rev-list --objects --no-walk --missing=print` walks
 * each commit's whole tree (not the history behind it). Returns the missing objects' ids, and git's first error
 * line when it could not go on (a corrupt tree or object header). A blob damaged past its header is only found by
 * reading it (restore does; so does `git fsck`).
 */
export async function unreadableObjects(repo: RepoPaths, commits: string[]): Promise<{ missing: string[]; error?: string }> {
  const unique = [...new Set(commits)].filter((o) => /^[0-9a-f]{40,64}$/.test(o));
  if (unique.length === 0) return { missing: [] };
  const { stdout, stderr, code } = await runGit(['rev-list', '--objects', '--no-walk', '--missing=print', '--stdin'], {
    cwd: repo.root,
    input: `${unique.join('\n')}\n`,
    okCodes: [128],
  });
  const missing = stdout.split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1).trim());
  const error = code === 0 ? undefined : stderr.split('\n').filter((l) => l.trim() !== '').pop() ?? `git rev-list exited ${code}`;
  return { missing, error };
}

/**
 * The lines `commit` added against its first parent (everything, for a root commit), per file, by their numbers
 * in the commit's version: one `diff-tree -p -U0` with rename detection. Binary files, symlinks and submodules are
 * left out. For a merge commit that is what it brought to its first parent's line of history: the lines of the
 * merged branch as well as any new in the merge (the attribution tells the two apart with `git blame`).
 */
export async function addedLines(repo: RepoPaths, commit: string): Promise<AddedLines[]> {
  const { stdoutBuf } = await runGit(
    ['-c', 'core.quotePath=false', 'diff-tree', '-r', '-p', '-U0', '-M', '--root', '--no-commit-id', '--no-color', '--no-ext-diff',
      '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--diff-merges=first-parent', '--end-of-options', commit],
    { cwd: repo.root },
  );
  return parseAddedLines(stdoutBuf);
}
