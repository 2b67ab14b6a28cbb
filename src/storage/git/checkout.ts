import { rmSync } from 'node:fs';
import { runGit } from './run.js';
import { tempIndexPath } from './temp-index.js';
import type { RepoPaths } from './repo.js';

/**
 * Writes the entries `paths` (names as bytes, as git holds them) of `commit` into the empty folder `dir`, exactly
 * as `git checkout` of that commit writes them: git's own conversion to working-tree form (core.autocrlf, core.eol,
 * `.gitattributes` eol/text/-text/working-tree-encoding, ident, filter drivers), symbolic links as links, the
 * executable bit, a submodule as an empty folder.
 *
 * The commit's whole tree goes into a temporary index, so its `.gitattributes` files are the ones that apply; and
 * since `dir` is the work tree of this call and starts empty, the user's current `.gitattributes` cannot leak in.
 */
export async function checkoutFiles(repo: RepoPaths, commit: string, paths: Buffer[], dir: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  if (paths.length === 0) return;
  const index = tempIndexPath(repo);
  const env = { GIT_INDEX_FILE: index, GIT_DIR: repo.gitDir, GIT_WORK_TREE: dir };
  try {
    await runGit(['read-tree', commit], { cwd: dir, env });
    // checkout-index says nothing as it goes: someone told how far it is gets it in up to 50 calls instead of one.
    const batch = onProgress ? Math.max(200, Math.ceil(paths.length / 50)) : paths.length;
    for (let at = 0; at < paths.length; at += batch) {
      const input = Buffer.concat(paths.slice(at, at + batch).flatMap((p) => [p, Buffer.from([0])]));
      await runGit(['checkout-index', '-f', '-z', '--stdin'], { cwd: dir, env, input });
      onProgress?.(Math.min(paths.length, at + batch), paths.length);
    }
  } finally {
    rmSync(index, { force: true });
    rmSync(`${index}.lock`, { force: true });
  }
}
