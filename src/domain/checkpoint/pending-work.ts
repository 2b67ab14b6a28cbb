import { SpecmapError } from '../../shared/errors.js';
import { sessionRefName } from '../../shared/layout.js';
import { TEMP_GLOBS } from '../../shared/temp-name.js';
import type { Project } from '../project/project.js';
import type { SessionDoc } from '../session/session-file.js';
import { snapshotExcludes } from './snapshot-scope.js';
import { readRef } from '../../storage/git/refs.js';
import { changedFiles, hasObject, snapshotTree, treeOf } from '../../storage/git/snapshot.js';

/**
 * Where a session's chain ends, read without writing anything (sessionTip recreates a lost ref; readers must not):
 * its ref, else its last recorded checkpoint commit or base commit that git still has. CHECKPOINT_NOT_FOUND when
 * git holds none of them.
 */
export async function sessionEnd(project: Project, id: string, doc: SessionDoc): Promise<string> {
  const ref = await readRef(project.git, sessionRefName(id));
  if (ref) return ref;
  for (const c of [...doc.checkpoints.map((x) => x.commit).reverse(), doc.git?.base_commit]) {
    if (typeof c === 'string' && (await hasObject(project.git, c))) return c;
  }
  throw new SpecmapError('CHECKPOINT_NOT_FOUND', `${id} has no commit in git (no session ref, checkpoint or base commit): nothing to compare`, { kind: 'no-commit' });
}

/**
 * The project files of a worktree whose content differs from what `commit` (a session's last checkpoint) holds:
 * everything `git add -A` would see — secret files and new files holding keys too, which checkpoints leave out
 * unless named — but not git-ignored files, nor what checkpoints never hold (the session workspaces, archive,
 * summaries, TRACKING.md: snapshot-scope.ts). What removing the worktree would lose that no checkpoint has. The user's index and files are not touched (a temporary index).
 */
export async function filesNotIn(project: Project, commit: string): Promise<string[]> {
  const tree = await treeOf(project.git, commit);
  const { excludes, inBase } = await snapshotExcludes(project, undefined, tree);
  const now = await snapshotTree(project.git, { baseTree: tree, excludes, excludesInBase: inBase, skip: [...TEMP_GLOBS] });
  return (await changedFiles(project.git, tree, now)).map((c) => c.path);
}
