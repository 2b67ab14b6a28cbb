#!/usr/bin/env node
// Entry point of the git hook shims (hooks/pre-commit, hooks/post-commit): `node git-hook.cjs <hook>`.
// Its own bundle (dist/bundle/git-hook.cjs), kept apart from the CLI so a commit pays only for what the hook needs.
import path = require('node:path');
import bundle = require('./run-bundle.cjs');

void bundle.runBundle(path.join(__dirname, '..', '..', 'dist', 'bundle', 'git-hook.cjs'), process.argv).then((status) => {
  process.exitCode = status;
});
