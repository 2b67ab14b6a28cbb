import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { step } from '../../shared/kill-point.js';
import { createWriteStream } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { ProgressSplitter, type GitProgress } from './parse/progress.js';

export type { GitProgress };

export interface RunOptions {
  cwd: string;
  /** Extra environment for this call (e.g. GIT_INDEX_FILE for a temporary index). */
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (e.g. 1 for `rev-parse --verify -q`). */
  okCodes?: number[];
  /** Sees stdout as it comes, which is then not collected (`git add --verbose`, counted as it goes). */
  onStdout?: (chunk: Buffer) => void;
  /** git's progress reports on stderr (with `--progress`), taken out of the stderr the result keeps. */
  onProgress?: (p: GitProgress) => void;
}

export interface RunResult {
  stdout: string;
  /** The raw bytes of stdout (blob contents are not always UTF-8). */
  stdoutBuf: Buffer;
  stderr: string;
  code: number;
}

/**
 * Variables git sets for hooks (and users sometimes export) that would point our calls at the wrong index,
 * repository or dates. Every call starts without them; a caller that needs one passes it in `env`.
 */
export const SCRUBBED_GIT_VARS = [
  'GIT_INDEX_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_PREFIX', 'GIT_COMMON_DIR',
  'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE', 'GIT_REFLOG_ACTION', 'GIT_EDITOR',
];

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SCRUBBED_GIT_VARS) delete env[key];
  env.GIT_TERMINAL_PROMPT = '0';
  // Messages we match on (identity missing, ref moved) must be in English.
  env.LC_ALL = 'C';
  return env;
}

/**
 * Environment every git call inside a scope adds (scratch-objects.ts: a dry run's throwaway object store). Scoped
 * per async call chain, so the long-lived MCP server's other calls never see it.
 */
const scopeEnv = new AsyncLocalStorage<Record<string, string>>();

/** Runs `fn` with `env` added to every git call it makes (directly or through anything it awaits). */
export function withGitEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  return scopeEnv.run({ ...scopeEnv.getStore(), ...env }, fn);
}

/** The scoped environment in force here (empty outside any withGitEnv). */
export function gitScopeEnv(): Record<string, string> {
  return scopeEnv.getStore() ?? {};
}

/** Runs git with an argv array (never a shell string) and collects its output. */
export function runGit(args: string[], opts: RunOptions): Promise<RunResult> {
  step(`before git ${args[0]}`);
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...baseEnv(), ...gitScopeEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const onStdout = opts.onStdout;
    child.stdout.on('data', onStdout ? (b: Buffer) => onStdout(b) : (b: Buffer) => out.push(b));
    const progress = opts.onProgress ? new ProgressSplitter(opts.onProgress) : undefined;
    if (progress) child.stderr.setEncoding('utf8').on('data', (t: string) => progress.feed(t));
    else child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new SpecmapError('GIT_FAILED', 'git is not installed or not on PATH')
          : new SpecmapError('GIT_FAILED', `cannot run git: ${e.message}`),
      );
    });
    child.on('close', (code) => {
      const stdoutBuf = Buffer.concat(out);
      const result = {
        stdout: stdoutBuf.toString('utf8'),
        stdoutBuf,
        stderr: progress ? progress.rest() : Buffer.concat(err).toString('utf8'),
        code: code ?? 128,
      };
      step(`after git ${args[0]}`);
      if (result.code === 0 || opts.okCodes?.includes(result.code)) resolve(result);
      else reject(gitFailure(args, result));
    });
    // A git that exits before reading its input closes the pipe; that is reported through 'close'.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export class GitCommandError extends SpecmapError {
  readonly args: string[];
  readonly stderr: string;
  readonly status: number;

  constructor(args: string[], result: RunResult) {
    const sub = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
    const line = firstLine(result.stderr) || `exit status ${result.code}`;
    super('GIT_FAILED', `git ${sub} failed: ${line}`);
    this.args = args;
    this.stderr = result.stderr;
    this.status = result.code;
  }
}

function gitFailure(args: string[], result: RunResult): GitCommandError {
  return new GitCommandError(args, result);
}

export function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.replace(/^(fatal|error): /, '');
}

/**
 * Runs git with stdout streamed into `dest` (never held in memory: archives of large trees). Resolves when git
 * exited 0 and the file is flushed. `onData` sees every chunk as it goes to the file (to hash it on the way);
 * `onStderrLine` every line of stderr, and returns true for one that is not a message (a name `--verbose` lists).
 */
export function runGitToFile(args: string[], opts: RunOptions & { dest: string; onData?: (chunk: Buffer) => void; onStderrLine?: (line: string) => boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(opts.dest, { flags: 'wx' });
    const child = spawn('git', args, { cwd: opts.cwd, env: { ...baseEnv(), ...gitScopeEnv(), ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    const onLine = opts.onStderrLine;
    if (onLine) {
      // Lines the caller takes (git archive --verbose's names) are not kept for the error message.
      let pending = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => {
        const lines = (pending + t).split('\n');
        pending = lines.pop()!;
        for (const l of lines) if (!onLine(l)) err.push(Buffer.from(`${l}\n`));
      });
      child.stderr.on('end', () => { if (pending && !onLine(pending)) err.push(Buffer.from(pending)); });
    } else child.stderr.on('data', (b: Buffer) => err.push(b));
    if (opts.onData) child.stdout.on('data', opts.onData);
    child.stdout.pipe(out);
    let code: number | null = null;
    let closed = false;
    const finish = () => {
      if (code === null || !closed) return;
      if (code === 0) resolve();
      else reject(new GitCommandError(args, { stdout: '', stdoutBuf: Buffer.alloc(0), stderr: Buffer.concat(err).toString('utf8'), code }));
    };
    out.on('close', () => { closed = true; finish(); });
    out.on('error', reject);
    child.on('error', (e) => reject(new SpecmapError('GIT_FAILED', `cannot run git: ${e.message}`)));
    child.on('close', (c) => { code = c ?? 128; finish(); });
  });
}
