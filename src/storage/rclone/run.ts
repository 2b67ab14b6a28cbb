import { spawn } from 'node:child_process';
import { SpecmapError } from '../../shared/errors.js';
import { step } from '../../shared/kill-point.js';

/**
 * rclone, run as a process (argv arrays, never a shell string): the engine of off-site backups, so specmap writes no
 * cloud client of its own. This is the only code that spawns it.
 *
 * Nothing here deletes on a remote. Only these subcommands run: `lsjson`, `hashsum` and `check` read; `copy` writes,
 * and must carry `--backup-dir` (a remote file it replaces is moved there, not deleted) or `--ignore-existing` (a
 * download into a fresh folder, which overwrites nothing). `delete`, `purge`, `sync`, `move`, `rmdir`, `deletefile`
 * and the rest are refused before anything runs, as are the flags that delete.
 */
const ALLOWED = new Set(['lsjson', 'hashsum', 'check', 'copy', 'version']);
const DELETING_FLAG = /^--(?:delete|remove-|track-renames)/;

export interface Rclone {
  /** The program: `rclone` on PATH, or SPECMAP_RCLONE. */
  bin: string;
}

export interface RcloneResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RcloneRunOptions {
  /** Exit codes that are answers rather than failures (3: directory not found for lsjson; 1: differences for check). */
  okCodes?: number[];
}

/** Refuses, as a programming error, any call that could delete or overwrite on a remote. */
export function checkRcloneArgs(args: string[]): void {
  const sub = args[0] ?? '';
  if (!ALLOWED.has(sub)) throw new Error(`rclone ${sub} is not a command specmap runs (it never deletes on a remote)`);
  const bad = args.find((a) => DELETING_FLAG.test(a));
  if (bad) throw new Error(`rclone ${sub} ${bad}: specmap never passes a flag that deletes`);
  if (sub === 'copy' && !args.some((a) => a === '--backup-dir' || a.startsWith('--backup-dir=') || a === '--ignore-existing')) {
    throw new Error('rclone copy without --backup-dir or --ignore-existing could overwrite a remote copy');
  }
}

/** rclone's own log line without its date and time: `2025/10/25 14:30:00 Failed to …` → `Failed to …`. */
const bare = (line: string) => line.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, '').trim();

/**
 * The one line of rclone's stderr that says why it failed: its last `Failed to …` or `CRITICAL` line, else its
 * last `ERROR` line, else the last line; without the date, at most 300 characters.
 */
export function rcloneReason(stderr: string): string {
  const lines = stderr.split('\n').map(bare).filter((l) => l.length > 0 && !/^NOTICE: Config file .* not found/.test(l));
  const pick = [...lines].reverse().find((l) => /^(?:Failed to|CRITICAL)/.test(l))
    ?? [...lines].reverse().find((l) => /^ERROR\b/.test(l))
    ?? lines[lines.length - 1]
    ?? '';
  return pick.length > 300 ? `${pick.slice(0, 300)}…` : pick;
}

function missing(bin: string, why: string): SpecmapError {
  const where = bin.includes('/') ? `${bin} (SPECMAP_RCLONE)` : `${bin} on PATH`;
  return new SpecmapError(
    'RCLONE_MISSING',
    `off-site backups need rclone, and ${where} ${why}: install it (Debian/Ubuntu: apt-get install rclone) or set SPECMAP_RCLONE to its path`,
    { kind: 'rclone-missing', program: bin },
  );
}

/**
 * Runs rclone with `args` (never prompting: stdin closed, `--ask-password=false`) and collects its output. Not
 * found or not runnable: RCLONE_MISSING. A non-zero exit not in `okCodes`: RCLONE_FAILED with rclone's reason.
 */
export function runRclone(rclone: Rclone, args: string[], opts: RcloneRunOptions = {}): Promise<RcloneResult> {
  checkRcloneArgs(args);
  step(`before rclone ${args[0]}`);
  return new Promise((resolve, reject) => {
    const child = spawn(rclone.bin, [...args, '--ask-password=false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(missing(rclone.bin, 'is not there'));
      else if (e.code === 'EACCES') reject(missing(rclone.bin, 'cannot be run (permission denied)'));
      else reject(new SpecmapError('RCLONE_FAILED', `cannot run ${rclone.bin}: ${e.message}`, { kind: 'rclone' }));
    });
    child.on('close', (code, signal) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 128 };
      step(`after rclone ${args[0]}`);
      if (result.code === 0 || opts.okCodes?.includes(result.code)) {
        resolve(result);
        return;
      }
      const why = rcloneReason(result.stderr) || (signal ? `killed by ${signal}` : `exit status ${result.code}`);
      reject(new SpecmapError('RCLONE_FAILED', `rclone ${args[0]} failed: ${why}`, { kind: 'rclone', status: result.code }));
    });
  });
}
