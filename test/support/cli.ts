import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/bin/specmap.cjs', import.meta.url));

/** Writes a `specmap` command into folder `bin` (made if missing) that runs this build, as an installed one would; returns `bin`, for PATH. */
export function specmapBin(bin: string): string {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'specmap'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  return bin;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Pins specmap's clock (SPECMAP_NOW), e.g. '2025-10-25T14:30:00'. */
  now?: string;
  input?: string;
}

/** Runs the built specmap binary, as a user would, and collects everything it printed. */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...opts.env, ...(opts.now ? { SPECMAP_NOW: opts.now } : {}) };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs the CLI and fails the test with its stderr when it did not exit 0. */
export async function ok(args: string[], opts: CliOptions): Promise<CliResult> {
  const r = await runCli(args, opts);
  if (r.code !== 0) throw new Error(`specmap ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** Asserts the shape every failure must have: one line on stderr, no stack trace. */
export function oneLineError(r: CliResult): string {
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(r.stderr) || !r.stderr.startsWith('specmap: ')) {
    throw new Error(`expected one 'specmap: ...' line on stderr, got:\n${r.stderr}`);
  }
  return lines[0]!;
}

/** One problem `specmap doctor --json` reports. */
export interface DoctorFinding { check: string; subject: string; message: string; fixable: boolean; fixed: boolean }

/** What `specmap doctor` (with `--fix`, when asked) finds in `repo`. */
export async function doctorFindings(repo: { dir: string; env: NodeJS.ProcessEnv }, fix = false): Promise<DoctorFinding[]> {
  const r = await runCli(['doctor', ...(fix ? ['--fix'] : []), '--json'], { cwd: repo.dir, env: repo.env });
  return JSON.parse(r.stdout).findings as DoctorFinding[];
}
