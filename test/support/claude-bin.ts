import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** How to start the Claude Code binary of the dev dependency @anthropic-ai/claude-code: a command and its first args. */
export interface ClaudeCommand {
  command: string;
  args: string[];
}

/**
 * The dev dependency's native binary. Its postinstall copies the binary over bin/claude.exe; where install scripts
 * did not run (`--ignore-scripts`, an npm that holds them back) that file is a small stub, and the package's own
 * cli-wrapper.cjs finds the platform package instead.
 */
export function claudeCommand(): ClaudeCommand {
  const pkg = dirname(createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json'));
  const exe = join(pkg, 'bin', 'claude.exe');
  if (statSync(exe).size > 4096) return { command: exe, args: [] };
  return { command: process.execPath, args: [join(pkg, 'cli-wrapper.cjs')] };
}

export interface ClaudeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `claude <args>` to the end (killed after `timeoutMs`), stdin closed, collecting its output. */
export function runClaude(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ClaudeResult> {
  const { command, args: first } = claudeCommand();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...first, ...args], { cwd: opts.cwd, env: opts.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end();
  });
}
