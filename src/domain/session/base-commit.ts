import { commitTree, emptyTree } from '../../storage/git/objects.js';
import { type RepoPaths } from '../../storage/git/repo.js';

/**
 * The one writer of a session's empty root commit: what `refs/sessions/<id>` starts from when the repository has
 * no commit to point it at (start in a fresh repository; a checkpoint recreating a lost ref).
 */
export async function emptyBaseCommit(repo: RepoPaths, session: string, at: Date): Promise<string> {
  return commitTree(repo, {
    tree: await emptyTree(repo),
    parents: [],
    message: `specmap: base of session ${session}\n\nThe repository had no commits when the session started.\n\nSession-Id: ${session}\n`,
    date: at,
  });
}
