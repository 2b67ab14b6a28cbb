import { gitDate } from '../core/clock.js';
import { runGit } from './run.js';
import type { RepoPaths } from './repo.js';

const DEMO_IDENTITY = {
  GIT_AUTHOR_NAME: 'specmap demo',
  GIT_AUTHOR_EMAIL: 'demo@specmap.invalid',
  GIT_COMMITTER_NAME: 'specmap demo',
  GIT_COMMITTER_EMAIL: 'demo@specmap.invalid',
};

/** Stages everything and makes an ordinary commit on the current branch (the demo's own repository only). */
export async function commitAll(repo: RepoPaths, message: string, date: Date): Promise<string> {
  await runGit(['add', '-A'], { cwd: repo.root });
  const env = { ...DEMO_IDENTITY, GIT_AUTHOR_DATE: gitDate(date), GIT_COMMITTER_DATE: gitDate(date) };
  await runGit(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', message], { cwd: repo.root, env });
  const { stdout } = await runGit(['rev-parse', 'HEAD'], { cwd: repo.root });
  return stdout.trim();
}
