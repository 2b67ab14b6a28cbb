import { runGitToFile } from './run.js';
import type { RepoPaths } from './repo.js';

/** `git archive --format=zip` of a commit or tree, streamed to `dest` (which must not exist). */
export async function archiveZip(repo: RepoPaths, rev: string, dest: string, level = 6): Promise<void> {
  await runGitToFile(['archive', '--format=zip', `-${level}`, rev], { cwd: repo.root, dest });
}
