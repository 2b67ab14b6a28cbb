import { resolve } from 'node:path';
import { isSpecmapError } from '../shared/errors.js';
import { settings } from '../shared/settings.js';
import { postCommit, postMerge, postRewrite, preCommit, prePush } from '../domain/hooks/git-hook.js';
import { HOOK_RULES } from '../domain/hooks/rules.js';
import type { GitHookResult } from './contract/git-hook.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { GitHookResult } from './contract/git-hook.js';

/** The exit status the pre-commit shim reads as "refuse this commit" (the shim then exits 1). */
export const REFUSE_STATUS = HOOK_RULES.refuseStatus;

export interface GitHookOptions extends ProjectOptions {
  hook: 'pre-commit' | 'post-commit' | 'pre-push' | 'post-rewrite' | 'post-merge';
  /** pre-push: what git gave the hook on stdin (`<local ref> <local id> <remote ref> <remote id>` per line). */
  refs?: string;
  /** pre-commit: the index git builds the commit from (the hook's GIT_INDEX_FILE), relative to `cwd` or absolute. */
  indexFile?: string;
  /** post-commit: record the commits the shim queued (the shim's background process) instead of HEAD. */
  queued?: boolean;
  /** post-commit, post-merge: the session to record into (default: SPECMAP_SESSION, else the only active one). */
  session?: string;
  /** post-rewrite: what git gave the hook on stdin (`<old id> <new id>` per line); none: what the shim queued. */
  rewrites?: string;
  /** post-rewrite: git's argument, `amend` or `rebase`. */
  rewriteKind?: string;
  /** post-merge: git's argument was 1, a squash merge (it made no commit; nothing is recorded). */
  squash?: boolean;
  /** pre-commit: let staged backups through with a warning (default: SPECMAP_ALLOW=1). */
  allowBackups?: boolean;
}

/**
 * One run of a git hook. Fails open: specmap's own failure, or a lock it could not get, becomes one line and never
 * refuses the commit or push; only staged ZIP backups do, and (pre-push) checkpoint or milestone tags a plain
 * `git push` would publish. pre-commit and pre-push read only; post-commit takes the lock just to record, post-merge
 * likewise for the merge commit a merge made (not a fast-forward or a squash), and post-rewrite to carry the line
 * attribution of rewritten commits to their new ids.
 *
 * @example
 * await gitHook({ cwd: '/repo', hook: 'pre-commit' });
 * // → { hook: 'pre-commit', refuse: true, lines: ['specmap: refusing to commit ZIP backups into history: 04-agents/backups/x.zip (unstage with …)'] }
 */
export async function gitHook(opts: GitHookOptions): Promise<GitHookResult> {
  const s = settings();
  try {
    return await transaction(opts, 'open', async ({ project, cwd }) => {
      const verdict = opts.hook === 'pre-commit'
        ? await preCommit(project, { indexFile: opts.indexFile ? resolve(cwd, opts.indexFile) : undefined, allowBackups: opts.allowBackups ?? s.allowBackupCommit })
        : opts.hook === 'pre-push'
          ? await prePush(project, { refs: opts.refs ?? '' })
          : opts.hook === 'post-rewrite'
            ? await postRewrite(project, { ...(opts.rewrites !== undefined ? { rewrites: opts.rewrites } : {}), ...(opts.rewriteKind ? { kind: opts.rewriteKind } : {}) })
            : opts.hook === 'post-merge'
              ? await postMerge(project, { squash: opts.squash ?? false, session: opts.session ?? s.session })
              : await postCommit(project, { queued: opts.queued ?? false, session: opts.session ?? s.session });
      return { hook: opts.hook, ...verdict };
    });
  } catch (err) {
    const why = isSpecmapError(err) ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
    return { hook: opts.hook, refuse: false, lines: [`specmap: ${opts.hook} hook skipped: ${why}`] };
  }
}
