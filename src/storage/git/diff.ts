import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { parseBatchCheck } from './parse/cat-file.js';

export interface DiffOptions {
  /** `--stat` summary. */
  stat?: boolean;
  /** The patch itself (default when neither stat nor nameStatus is asked for). */
  patch?: boolean;
  color?: boolean;
}

/** `git diff` between two commits or trees, exactly as git prints it (so users can compare the two). */
export async function diffText(repo: RepoPaths, from: string, to: string, opts: DiffOptions = {}): Promise<string> {
  const args = ['diff', '--no-ext-diff', '--no-textconv', `--color=${opts.color ? 'always' : 'never'}`];
  const patch = opts.patch ?? !opts.stat;
  if (opts.stat) args.push('--stat');
  if (patch) args.push('-p');
  args.push(from, to, '--');
  const { stdout } = await runGit(args, { cwd: repo.root });
  return stdout;
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
