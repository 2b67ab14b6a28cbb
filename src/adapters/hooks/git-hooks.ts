import { resolve } from 'node:path';
import { recordCommit } from '../../domain/hooks/commit-tracking.js';
import { isSpecmapError } from '../../shared/errors.js';
import { checkStaged } from '../../domain/hooks/staged-check.js';
import { recordPendingCommits } from '../../domain/hooks/pending-commits.js';
import { openProject } from '../../domain/project/project.js';

export type GitHookName = 'pre-commit' | 'post-commit';

export interface HookOutcome {
  /** 10 refuses the commit (pre-commit only); 0 lets it through. */
  exitCode: 0 | 10;
  /** Lines for stderr, each already prefixed. */
  lines: string[];
}

/** Exit status the shims in hooks/ read as "refuse this commit"; every other status lets it through. */
export const REFUSE = 10;

/**
 * The work behind the git hook shims. Fails open: specmap's own errors become one line and exit 0, because a
 * commit must never be blocked by our failure.
 */
export async function runGitHook(name: GitHookName, env: NodeJS.ProcessEnv, cwd: string): Promise<HookOutcome> {
  try {
    return name === 'pre-commit' ? await preCommit(env, cwd) : await postCommit(env, cwd);
  } catch (err) {
    const why = isSpecmapError(err) ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
    return { exitCode: 0, lines: [`specmap: ${name} hook skipped: ${why}`] };
  }
}

async function preCommit(env: NodeJS.ProcessEnv, cwd: string): Promise<HookOutcome> {
  // Git hands the hook the index the commit is built from; for `commit -a` it is not .git/index.
  const indexFile = env.GIT_INDEX_FILE ? resolve(cwd, env.GIT_INDEX_FILE) : undefined;
  const r = await checkStaged({ cwd, indexFile });
  const lines: string[] = [];
  if (r.scratch.length > 0) {
    lines.push(`specmap: warning: committing scratch files (see scratch: in 04-agents/config.yaml): ${r.scratch.join(', ')}`);
  }
  if (r.backups.length > 0) {
    if (env.SPECMAP_ALLOW === '1') {
      lines.push(`specmap: warning: committing backups because SPECMAP_ALLOW=1: ${r.backups.join(', ')}`);
    } else {
      lines.push(
        `specmap: refusing to commit ZIP backups into history: ${r.backups.join(', ')} ` +
          "(unstage with 'git rm --cached <file>'; override with SPECMAP_ALLOW=1 or git commit --no-verify)",
      );
      return { exitCode: REFUSE, lines };
    }
  }
  return { exitCode: 0, lines };
}

/** What the post-commit shim's background process does: record the queue of commits the shim appended to. */
export async function recordQueuedCommits(cwd: string): Promise<HookOutcome> {
  try {
    const results = await recordPendingCommits(await openProject({ cwd }));
    const lines = results.filter((r) => !r.recorded && r.reason === 'several-sessions').map((r) => `specmap: ${(r as { message: string }).message}`);
    return { exitCode: 0, lines };
  } catch (err) {
    return { exitCode: 0, lines: [`specmap: post-commit: ${isSpecmapError(err) ? err.message : String(err)}`] };
  }
}

async function postCommit(env: NodeJS.ProcessEnv, cwd: string): Promise<HookOutcome> {
  const r = await recordCommit({ cwd, session: env.SPECMAP_SESSION || undefined });
  if (r.recorded || r.reason === 'no-session' || r.reason === 'already-recorded') return { exitCode: 0, lines: [] };
  return { exitCode: 0, lines: [`specmap: ${r.message}`] };
}
