import { spawn } from 'node:child_process';
import { SpecmapError } from '../../shared/errors.js';
import { SCRUBBED_GIT_VARS } from '../git/run.js';

export interface ShellRunOptions {
  /** The folder the command runs in. */
  cwd: string;
  /** Stop it (SIGTERM to its process group, SIGKILL 5 s later) after this many milliseconds. */
  timeoutMs: number;
  /** Lines of its output (stdout and stderr together) kept, the last ones (default 20). */
  tailLines?: number;
}

export interface ShellRunResult {
  /** Its exit status; null when a signal ended it (a timeout among them). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Wall-clock milliseconds from start to exit. */
  durationMs: number;
  /** The last lines it printed. */
  outputTail: string;
}

/** Output kept while it runs; only the tail is returned. */
const KEEP_BYTES = 64 * 1024;
const KILL_GRACE_MS = 5_000;

/** How long output still in the pipes is waited for once the command has exited. */
const DRAIN_MS = 500;

/**
 * Runs a user's command line through the shell (`/bin/sh -c`, as `npm test` would be typed), in its own process
 * group so a timeout stops everything it started. Its stdin is closed; its output is collected, not shown. The
 * git variables a hook sets (GIT_DIR, GIT_INDEX_FILE …) are removed, so git inside it works on `cwd`'s repository.
 * The only code that runs a command the user wrote.
 */
export function runShell(command: string, opts: ShellRunOptions): Promise<ShellRunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SCRUBBED_GIT_VARS) delete env[key];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let kept = Buffer.alloc(0);
    const keep = (b: Buffer) => {
      kept = Buffer.concat([kept, b]);
      if (kept.length > KEEP_BYTES) kept = kept.subarray(kept.length - KEEP_BYTES);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      reject(new SpecmapError('IO', `cannot run ${JSON.stringify(command.slice(0, 80))}: ${e.message}`, { kind: 'run' }));
    });
    // Settled on the command's exit, not on its pipes closing: a suite that leaves a server running in the
    // background still has exited. Output still in the pipes gets a moment, then whatever it left in its group is
    // stopped.
    let exited: { code: number | null; signal: NodeJS.Signals | null; durationMs: number } | undefined;
    let done = false;
    let drain: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done || !exited) return;
      done = true;
      if (drain) clearTimeout(drain);
      signalGroup(timedOut ? 'SIGKILL' : 'SIGTERM');
      child.stdout.destroy();
      child.stderr.destroy();
      const lines = kept.toString('utf8').replace(/\s+$/, '').split('\n');
      resolve({
        exitCode: exited.code,
        signal: exited.signal,
        timedOut,
        durationMs: exited.durationMs,
        outputTail: lines.slice(-(opts.tailLines ?? 20)).join('\n'),
      });
    };
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      exited = { code, signal, durationMs: Math.round(performance.now() - started) };
      drain = setTimeout(finish, DRAIN_MS);
    });
    child.on('close', finish);
  });
}
