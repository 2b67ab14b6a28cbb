// What the git hook bundle runs (see git-hook.cts): the shim names the hook, its cwd is the work tree.
import { runShimHook } from '../adapters/hooks/git-hooks.js';

/** Runs the hook named in argv[2] and returns the shim's exit status; an unknown name is reported and let through. */
export async function main(argv: string[]): Promise<number> {
  const name = argv[2];
  if (name === 'pre-commit' || name === 'post-commit' || name === 'post-rewrite') return runShimHook(name, process.cwd());
  process.stderr.write(`specmap: unknown hook ${JSON.stringify(name)}\n`);
  return 0;
}
