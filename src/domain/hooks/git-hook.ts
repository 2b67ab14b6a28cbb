import { withProjectLock, type Project } from '../project/project.js';
import { recordCommit, type RecordCommitResult } from './commit-tracking.js';
import { recordPendingCommits } from './pending-commits.js';
import { HOOK_RULES, postMergeRecords, preCommitVerdict, prePushVerdict } from './rules.js';
import { configValue, headReflog } from '../../storage/git/commits.js';
import { resolveCommit } from '../../storage/git/objects.js';
import { checkStaged } from './staged-check.js';
import { appendQueuedLines, hasPendingRewrites, pendingRewritesFile } from '../project/queues.js';

export interface HookVerdict {
  /** Refuse the commit (pre-commit only). */
  refuse: boolean;
  /** Lines for stderr, each already prefixed with "specmap:". */
  lines: string[];
}

/** The pre-commit check: refuses staged ZIP backups (unless allowed) and warns about scratch files. Reads only. */
export async function preCommit(project: Project, input: { indexFile?: string; allowBackups: boolean }): Promise<HookVerdict> {
  return preCommitVerdict(await checkStaged(project, input.indexFile), input.allowBackups);
}

/**
 * The post-commit work: records the commits the shim queued (`queued`), or HEAD itself (a hook manager calling
 * `specmap hook post-commit`). Takes the project lock itself and only for this: a commit must not wait for the
 * other work settling does (deferred session ZIPs), so its api verb opens the project without the lock.
 */
export async function postCommit(project: Project, input: { queued: boolean; session: string | undefined }): Promise<HookVerdict> {
  const results: RecordCommitResult[] = input.queued
    ? await recordPendingCommits(project)
    : [await withProjectLock(project, () => recordCommit(project, 'HEAD', input.session))];
  const lines = results.flatMap((r) => (!r.recorded && r.reason === 'several-sessions' ? [`specmap: ${r.message}`] : []));
  return { refuse: false, lines };
}

/**
 * `specmap hook post-merge` (a hook manager's; specmap's own shim makes these checks in sh and queues HEAD for the
 * post-commit work): records HEAD as post-commit does when the merge made it, a merge commit — not after a
 * fast-forward, whose commits were made elsewhere, nor a squash (`squash`: git's argument 1), which made no commit.
 */
export async function postMerge(project: Project, input: { squash: boolean; session: string | undefined }): Promise<HookVerdict> {
  const mergeCommit = !input.squash && (await resolveCommit(project.git, 'HEAD^2')) !== undefined;
  const [last] = mergeCommit ? await headReflog(project.git, 1) : [];
  if (!postMergeRecords({ squash: input.squash, mergeCommit, reflogSubject: last?.subject })) return { refuse: false, lines: [] };
  return postCommit(project, { queued: false, session: input.session });
}

/**
 * The post-rewrite work: the line attribution of rewritten commits follows them. `rewrites` is git's stdin ("<old>
 * <new>" per line) when a hook manager calls `specmap hook post-rewrite`; without it, what the shim queued. Takes the
 * project lock itself, like post-commit.
 */
export async function postRewrite(project: Project, input: { rewrites?: string; kind?: string }): Promise<HookVerdict> {
  const { carryPendingRewrites } = await import('../attribution/rewrites.js');
  if (input.rewrites !== undefined) {
    const kind = input.kind === 'amend' ? 'amend' : 'rebase';
    const lines = input.rewrites.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 2 && p[1]).map((p) => `${p[0]} ${p[1]} ${kind}`);
    if (lines.length > 0) appendQueuedLines(pendingRewritesFile(project), lines);
  }
  if (hasPendingRewrites(project)) await carryPendingRewrites(project);
  return { refuse: false, lines: [] };
}

/** The pre-push check on git's stdin: refuses checkpoint and milestone tags unless git config allows them. Reads only. */
export async function prePush(project: Project, input: { refs: string }): Promise<HookVerdict> {
  const allowed = (await configValue(project.git, HOOK_RULES.allowTagPushConfig))?.toLowerCase() === 'true';
  return prePushVerdict(input.refs, allowed);
}
