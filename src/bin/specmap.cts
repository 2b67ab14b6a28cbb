#!/usr/bin/env node
// The `specmap` binary. `--version` answers without loading anything else; every other command runs the CLI bundle
// (dist/bundle/specmap.cjs), whose main() holds the one top-level catch.
import fs = require('node:fs');
import path = require('node:path');

const argv = process.argv;
// A reader that stops early (`specmap log --all | head -1`) closes the pipe. What is left to print is dropped
// quietly, as git does, and the command still runs to its end: it is never stopped half-way through a write.
// Any other failure to write (a full disk, a terminal gone: ENOSPC, EIO) is one line on stderr and exit status 1.
let reported = false;
const onOutputError = (err: NodeJS.ErrnoException): void => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
  process.exitCode = 1;
  if (reported) return;
  reported = true;
  try {
    fs.writeSync(2, `specmap: cannot write the output: ${err.code ?? err.message}\n`);
  } catch {
    // stderr is the stream that failed: the exit status says it.
  }
};
process.stdout.on('error', onOutputError);
process.stderr.on('error', onOutputError);
const root = path.join(__dirname, '..', '..');
if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
  process.stdout.write(`${(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
} else {
  // Loaded here, not above: `--version` needs none of it.
  const bundle = require('./run-bundle.cjs') as typeof import('./run-bundle.cjs');
  void bundle.runBundle(path.join(root, 'dist', 'bundle', 'specmap.cjs'), argv).then((status) => {
    process.exitCode = status;
  });
}
