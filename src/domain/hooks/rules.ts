import { ACTIVE_DIR, BACKUPS_DIR } from '../../shared/layout.js';
import { CONFIG_FILE } from '../project/config.js';

/**
 * The git hooks' rules, written once: the TypeScript checks use these values and the plain-sh shims in hooks/ get
 * them filled in by renderShim, so the two cannot drift. Every message is the whole line up to the list of files.
 */
export const HOOK_RULES = {
  /** Staged files under here refuse the commit. */
  backupsDir: `${BACKUPS_DIR}/`,
  /** The pre-commit shim's exit status for "refuse this commit"; every other status lets it through. */
  refuseStatus: 10,
  /** Where the shim finds the session folders it counts (sh glob). */
  activeSessionsGlob: `${ACTIVE_DIR}/*/session.yaml`,
  /** The project config whose scratch globs the pre-commit hook uses. */
  configFile: CONFIG_FILE,
  /** Relative to the git dir: the config's scratch globs as the sh shim reads them. */
  scratchPathspecsFile: 'specmap/scratch-pathspecs',
  /** Relative to the git dir: commits the post-commit and post-merge shims queued for Node to record. */
  pendingCommitsFile: 'specmap/pending-commits',
  /** Relative to the git dir: "<old> <new> <amend|rebase>" pairs the post-rewrite shim queued for their notes to follow. */
  pendingRewritesFile: 'specmap/pending-rewrites',
  /**
   * What HEAD's reflog entry holds after `git merge` or `git pull` only moved the branch ("merge x: Fast-forward",
   * "pull: Fast-forward"): git writes it untranslated. Such a HEAD, even a merge commit, was made elsewhere.
   */
  fastForwardReflog: ': Fast-forward',
  /** The notes ref of the line attribution (one Agent Trace record per commit). */
  notesRef: 'refs/notes/specmap',
  scratchWarning: `specmap: warning: committing scratch files (see scratch: in ${CONFIG_FILE}):`,
  backupsAllowed: 'specmap: warning: committing backups because SPECMAP_ALLOW=1:',
  backupsRefused: 'specmap: refusing to commit ZIP backups into history:',
  backupsHint: "(unstage with 'git rm --cached <file>'; override with SPECMAP_ALLOW=1 or git commit --no-verify)",
  /** Follows the number of active sessions. */
  severalSessions: 'sessions are active; set SPECMAP_SESSION=<id> to record commits (this one was not recorded)',
  /** Refs a plain `git push` must not publish: each carries a session's checkpoint (and so its files). */
  guardedRefPrefixes: ['refs/tags/checkpoints/', 'refs/tags/milestones/'],
  /** git config key that lets a plain push publish them. */
  allowTagPushConfig: 'specmap.allowTagPush',
  pushRefused: 'specmap: refusing to push session checkpoint and milestone tags:',
  pushHint: "(each carries a checkpoint's files; share sessions with 'specmap push', or allow it: git config specmap.allowTagPush true, or git push --no-verify)",
} as const;

/** The pre-commit hook's lines for what is staged, and whether the commit is refused. */
export function preCommitVerdict(staged: { backups: string[]; scratch: string[] }, allowBackups: boolean): { refuse: boolean; lines: string[] } {
  const lines: string[] = [];
  // Files are joined by spaces, as the sh shim's `echo ... $files` prints them.
  if (staged.scratch.length > 0) lines.push(`${HOOK_RULES.scratchWarning} ${staged.scratch.join(' ')}`);
  if (staged.backups.length === 0) return { refuse: false, lines };
  if (allowBackups) {
    lines.push(`${HOOK_RULES.backupsAllowed} ${staged.backups.join(' ')}`);
    return { refuse: false, lines };
  }
  lines.push(`${HOOK_RULES.backupsRefused} ${staged.backups.join(' ')} ${HOOK_RULES.backupsHint}`);
  return { refuse: true, lines };
}

/**
 * Whether post-merge records HEAD: a merge commit (`mergeCommit`: HEAD^2 exists) that this merge made, so not a
 * squash (git's argument 1: no commit yet, its `git commit` runs post-commit) nor a fast-forward, told by HEAD's
 * newest reflog entry (none: not told apart, so not recorded). The post-merge shim makes the same checks in sh.
 */
export function postMergeRecords(input: { squash: boolean; mergeCommit: boolean; reflogSubject: string | undefined }): boolean {
  if (input.squash || !input.mergeCommit || !input.reflogSubject) return false;
  return !input.reflogSubject.includes(HOOK_RULES.fastForwardReflog);
}

/** The post-commit line when several sessions are active and none is named. */
export function severalSessionsLine(count: number): string {
  return `specmap: ${count} ${HOOK_RULES.severalSessions}`;
}

/**
 * The pre-push hook's verdict on git's stdin (`<local ref> <local id> <remote ref> <remote id>` per line): a plain
 * `git push` (`--tags`, `--mirror`) may not publish checkpoint or milestone tags; deleting them is fine. `specmap
 * push` pushes with --no-verify, so it never meets this hook.
 */
export function prePushVerdict(input: string, allowed: boolean): { refuse: boolean; lines: string[] } {
  if (allowed) return { refuse: false, lines: [] };
  const refused = input.split('\n').flatMap((line) => {
    const [, localId, remoteRef] = line.trim().split(/\s+/);
    if (!remoteRef || !localId || /^0+$/.test(localId)) return [];
    return HOOK_RULES.guardedRefPrefixes.some((p) => remoteRef.startsWith(p)) ? [remoteRef] : [];
  });
  if (refused.length === 0) return { refuse: false, lines: [] };
  return { refuse: true, lines: [`${HOOK_RULES.pushRefused} ${refused.join(' ')} ${HOOK_RULES.pushHint}`] };
}
