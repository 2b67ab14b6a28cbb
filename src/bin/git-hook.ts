#!/usr/bin/env node
// Entry point of the git hook shims (hooks/pre-commit, hooks/post-commit): `node git-hook.js <hook>`.
// Kept apart from the CLI so a commit pays only for what the hook needs.
import { recordQueuedCommits, runGitHook } from '../adapters/hooks/git-hooks.js';

const name = process.argv[2];
if (name === 'pre-commit' || name === 'post-commit') {
  const outcome = name === 'post-commit' ? await recordQueuedCommits(process.cwd()) : await runGitHook(name, process.env, process.cwd());
  for (const line of outcome.lines) process.stderr.write(`${line}\n`);
  process.exitCode = outcome.exitCode;
} else {
  process.stderr.write(`specmap: unknown hook ${JSON.stringify(name)}\n`);
  process.exitCode = 0;
}
