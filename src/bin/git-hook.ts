#!/usr/bin/env node
// Entry point of the git hook shims (hooks/pre-commit, hooks/post-commit): `node git-hook.js <hook>`.
// Kept apart from the CLI so a commit pays only for what the hook needs.
import { runShimHook } from '../adapters/hooks/git-hooks.js';

const name = process.argv[2];
if (name === 'pre-commit' || name === 'post-commit') {
  process.exitCode = await runShimHook(name, process.cwd());
} else {
  process.stderr.write(`specmap: unknown hook ${JSON.stringify(name)}\n`);
  process.exitCode = 0;
}
