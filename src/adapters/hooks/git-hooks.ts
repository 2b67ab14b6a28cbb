import { gitHook, REFUSE_STATUS, type GitHookOptions, type GitHookResult } from '../../api/git-hook.js';

export type GitHookName = GitHookOptions['hook'];

export { REFUSE_STATUS };

/**
 * The git hook shims' entry (`node git-hook.js <hook>`, the shim's cwd is the work tree): pre-commit checks the
 * index git hands the hook; post-commit records what the shim queued. Returns the exit status for the shim.
 */
export async function runShimHook(name: GitHookName, cwd: string): Promise<number> {
  const r = await gitHook({ cwd, hook: name, indexFile: gitIndexFile(), queued: name === 'post-commit' || name === 'post-rewrite' });
  printLines(r);
  return r.refuse ? REFUSE_STATUS : 0;
}

/**
 * `specmap hook <name>` (for husky, lefthook): the same checks, post-commit recording HEAD itself, post-merge HEAD
 * when the merge made it (git's argument 1: a squash, nothing to record), pre-push and post-rewrite reading `stdin`
 * (git's), post-rewrite with git's argument (`amend` or `rebase`).
 */
export async function runManagedHook(name: GitHookName, cwd: string | undefined, stdin?: string, arg?: string): Promise<GitHookResult> {
  const input = name === 'post-merge' ? { squash: arg === '1' }
    : stdin === undefined ? {} : name === 'post-rewrite' ? { rewrites: stdin, ...(arg ? { rewriteKind: arg } : {}) } : { refs: stdin };
  const r = await gitHook({ cwd, hook: name, indexFile: gitIndexFile(), ...input });
  printLines(r);
  return r;
}

/** Git sets GIT_INDEX_FILE for the hook: for `commit -a` the commit is built from a temporary index. */
function gitIndexFile(): string | undefined {
  return process.env.GIT_INDEX_FILE || undefined;
}

function printLines(r: GitHookResult): void {
  for (const line of r.lines) process.stderr.write(`${line}\n`);
}
