import { step } from '../../shared/kill-point.js';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ioError } from '../../shared/errors.js';
import { tempName } from '../../shared/temp-name.js';

let counter = 0;

/** A temp name beside `path` (shared/temp-name.ts), so the final rename never crosses a file system. */
export function tempPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), tempName(basename(path), process.pid, counter));
}

/**
 * Writes all of `buf` to `fd`: write(2) may write less than asked (a nearly full disk writes what fits and reports
 * the short count; the next call fails with ENOSPC), so it is called until every byte is down.
 */
export function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) {
    const n = writeSync(fd, buf, done, buf.length - done);
    if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO', syscall: 'write' });
    done += n;
  }
}

/**
 * Writes `data` to `path` so that a reader (or a crash) sees either the old file or the whole new one:
 * temp file beside it, every byte written, fsync, rename. On any failure (ENOSPC: a NO_SPACE error) the temp file
 * goes and `path` is as it was. `durable: false` skips the fsync, for caches that are rebuilt from their source
 * when lost (a crash may leave the old one or an empty one, never a torn one that is taken as valid).
 */
export function writeFileAtomic(path: string, data: string | Buffer, opts: { durable?: boolean } = {}): void {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (opts.durable !== false) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameStepped(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try { closeSync(fd); } catch { /* already failing */ }
    }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw ioError('write', path, err);
  }
}

/** A rename that is a numbered step for the kill-point tests (shared/kill-point.ts), before and after. */
export function renameStepped(from: string, to: string): void {
  step(`before rename ${basename(to)}`);
  renameSync(from, to);
  step(`after rename ${basename(to)}`);
}
