import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseNameStatus } from './parse/name-status.js';
import { parseNameList } from './parse/nul.js';
import { LOG_FORMAT, parseLog, type CommitInfo } from './parse/log.js';

export type { CommitInfo };
export { trailer } from './parse/log.js';

export interface CommitChange {
  status: 'A' | 'M' | 'D' | 'T' | 'R' | 'C';
  path: string;
  /** For renames and copies: where it came from. */
  from?: string;
}

/**
 * What a commit changed against its first parent (against nothing for a root commit), with rename detection.
 */
export async function commitChanges(repo: RepoPaths, commit: string): Promise<CommitChange[]> {
  const { stdoutBuf } = await runGit(
    ['diff-tree', '-r', '-z', '--root', '--no-commit-id', '--name-status', '-M', '--diff-merges=first-parent', commit],
    { cwd: repo.root },
  );
  return parseNameStatus(stdoutBuf).map(({ status, path, from }) => ({ status: status as CommitChange['status'], path, ...(from !== undefined ? { from } : {}) }));
}

/**
 * Paths staged for the commit in progress. `indexFile` is the index git handed the hook (GIT_INDEX_FILE), which
 * for `git commit -a` or `git commit <paths>` is a temporary one, not .git/index.
 */
export async function stagedPaths(repo: RepoPaths, indexFile: string | undefined): Promise<string[]> {
  const env = indexFile ? { GIT_INDEX_FILE: indexFile } : undefined;
  const { stdoutBuf } = await runGit(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMRT', '--no-renames'], {
    cwd: repo.root,
    env,
  });
  return parseNameList(stdoutBuf);
}

/**
 * The hooks dir git really uses in the worktree at `repo.root`: core.hooksPath when set (a relative one is relative
 * to that worktree's top level, so each worktree has its own), else <common dir>/hooks.
 */
export async function hooksDir(repo: Pick<RepoPaths, 'root'>): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd: repo.root });
  return stdout.trim();
}

/** Which of `paths` (relative to the worktree at `repo.root`) git tracks there: in its index. */
export async function trackedFiles(repo: Pick<RepoPaths, 'root'>, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { stdoutBuf } = await runGit(['ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)], { cwd: repo.root });
  return new Set(parseNameList(stdoutBuf));
}

/** Which of `paths` (relative to the worktree at `repo.root`) are there, untracked and not ignored: `git status` shows them. */
export async function untrackedShown(repo: Pick<RepoPaths, 'root'>, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { stdoutBuf } = await runGit(['ls-files', '-z', '-o', '--exclude-standard', '--', ...paths.map((p) => `:(literal)${p}`)], { cwd: repo.root });
  return new Set(parseNameList(stdoutBuf));
}

export async function configValue(repo: Pick<RepoPaths, 'root'>, key: string): Promise<string | undefined> {
  const { stdout, code } = await runGit(['config', '--get', key], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}

/**
 * The values of the config keys matching `keys` (`git config --get-regexp`; names lowercased, as git prints them),
 * the last one of each winning as in git; empty when none is set. Runs in `cwd`, a repository or not.
 */
export async function configMatching(cwd: string, keys: RegExp): Promise<Map<string, string>> {
  const { stdout, code } = await runGit(['config', '-z', '--get-regexp', keys.source], { cwd, okCodes: [1, 128] });
  const out = new Map<string, string>();
  if (code !== 0) return out;
  for (const item of stdout.split('\0')) {
    const nl = item.indexOf('\n');
    if (item === '') continue;
    out.set(nl === -1 ? item : item.slice(0, nl), nl === -1 ? '' : item.slice(nl + 1));
  }
  return out;
}

/** Commits reachable from `to` but not from `from` (all of `to`'s history when `from` is undefined), oldest first. */
export async function commitsBetween(repo: RepoPaths, from: string | undefined, to: string): Promise<CommitInfo[]> {
  const range = from ? `${from}..${to}` : to;
  const { stdout } = await runGit(['log', '--reverse', LOG_FORMAT, range, '--'], { cwd: repo.root });
  return parseLog(stdout);
}

/** A commit's raw message. */
export async function commitMessage(repo: RepoPaths, rev: string): Promise<string> {
  const { stdout } = await runGit(['log', '-1', '--format=%B', rev, '--'], { cwd: repo.root });
  return stdout;
}

/**
 * Which of `paths` some commit of a chain ever held: those in `base`'s tree, or added or changed by a commit
 * reachable from `tip` but not from `base`. A name that cannot be given as an argument (not UTF-8) is never found.
 */
export async function pathsEverHeld(repo: RepoPaths, chain: { tip: string; base?: string }, paths: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < paths.length; i += 500) {
    const specs = paths.slice(i, i + 500).map((p) => `:(literal)${p}`);
    const range = chain.base ? [chain.tip, `^${chain.base}`] : [chain.tip];
    const log = await runGit(['log', '-z', '--format=', '--name-only', '--no-renames', '--diff-filter=AMT', ...range, '--', ...specs], { cwd: repo.root });
    for (const p of parseNameList(log.stdoutBuf)) held.add(p);
    if (chain.base) {
      const tree = await runGit(['ls-tree', '-r', '-z', '--name-only', '--full-tree', chain.base, '--', ...specs], { cwd: repo.root });
      for (const p of parseNameList(tree.stdoutBuf)) held.add(p);
    }
  }
  return held;
}

/** Whether `commit` is `tip` or one of its ancestors (`git merge-base --is-ancestor`); false when either is missing. */
export async function isAncestor(repo: RepoPaths, commit: string, tip: string): Promise<boolean> {
  const { code } = await runGit(['merge-base', '--is-ancestor', '--end-of-options', commit, tip], { cwd: repo.root, okCodes: [1, 128] });
  return code === 0;
}

/** One ref (a branch, tag, session …) whose history holds `commit`, or undefined when none does (`for-each-ref --contains`). */
export async function refContaining(repo: RepoPaths, commit: string): Promise<string | undefined> {
  const { stdout } = await runGit(['for-each-ref', '--count=1', '--format=%(refname)', `--contains=${commit}`], { cwd: repo.root });
  return stdout.trim() || undefined;
}

/** The newest `count` entries of HEAD's reflog: the commit each moved to and its message ("cherry-pick: …"). */
export async function headReflog(repo: RepoPaths, count: number): Promise<{ oid: string; subject: string }[]> {
  const { stdout, code } = await runGit(['reflog', 'show', '--format=%H %gs', '-n', String(count), 'HEAD', '--'], { cwd: repo.root, okCodes: [128] });
  if (code !== 0) return [];
  return stdout.split('\n').filter((l) => l.length > 41).map((l) => ({ oid: l.slice(0, l.indexOf(' ')), subject: l.slice(l.indexOf(' ') + 1) }));
}

/** Every value of a multi-valued config key (`git config --get-all`), in order. */
export async function configValues(repo: RepoPaths, key: string): Promise<string[]> {
  const { stdout, code } = await runGit(['config', '--get-all', key], { cwd: repo.root, okCodes: [1] });
  return code === 0 ? stdout.split('\n').filter((l) => l !== '') : [];
}

/** Adds `value` to the repository's (local) config key, or removes exactly that value (`--fixed-value`). */
export async function changeLocalConfigValue(repo: RepoPaths, key: string, value: string, change: 'add' | 'remove'): Promise<void> {
  const args = change === 'add' ? ['config', '--local', '--add', key, value] : ['config', '--local', '--fixed-value', '--unset-all', key, value];
  await runGit(args, { cwd: repo.root, okCodes: change === 'remove' ? [5] : [] });
}

/** The commits reachable from `rev`, newest first: id, committer time (seconds), subject. None before a first commit. */
export async function commitSubjects(repo: RepoPaths, rev: string): Promise<{ oid: string; time: number; subject: string }[]> {
  const { stdout, code } = await runGit(['log', '--format=%H%x1f%ct%x1f%s', '--end-of-options', rev, '--'], { cwd: repo.root, okCodes: [128] });
  if (code !== 0) return [];
  return stdout.split('\n').filter((l) => l.includes('\x1f')).map((l) => {
    const [oid, time, subject] = l.split('\x1f');
    return { oid: oid!, time: Number(time), subject: subject ?? '' };
  });
}
