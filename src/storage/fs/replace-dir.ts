import { existsSync, renameSync, rmSync } from 'node:fs';
import { renameStepped } from './atomic-write.js';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { tempPathFor } from './atomic-write.js';
import { killPoint } from '../../shared/kill-point.js';

/**
 * Puts the finished folder `staging` at `dest`. An existing `dest` is moved aside first and deleted only once the
 * new one is in place, so a failure leaves the old folder where it was.
 */
export function replaceDir(staging: string, dest: string): void {
  if (!existsSync(dest)) {
    renameStepped(staging, dest);
    return;
  }
  const old = tempPathFor(dest);
  renameStepped(dest, old);
  killPoint('replace:old-aside');
  try {
    renameStepped(staging, dest);
  } catch (err) {
    renameSync(old, dest);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/** How a failed build or replace is named: `shown` (the path as the user knows it) in an IO error. */
export interface BuildOptions {
  shown?: string;
}

const asIo = (err: unknown, path: string, opts: BuildOptions) => (isSpecmapError(err) ? err : ioError('write', opts.shown ?? path, err));

/**
 * The one build-aside-and-replace for folders: `build(staging)` fills a folder beside `dest` (the path does not
 * exist yet; `build` creates it), which then replaces `dest` as a whole (replaceDir). On any failure the staging
 * folder goes and `dest` is as it was.
 */
export async function buildDir<T>(dest: string, build: (staging: string) => Promise<T> | T, opts: BuildOptions = {}): Promise<T> {
  const staging = tempPathFor(dest);
  try {
    const result = await build(staging);
    replaceDir(staging, dest);
    return result;
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw asIo(err, dest, opts);
  }
}

/** The same for one file: `build(tmp)` writes a temp file beside `dest`, renamed onto it once complete. */
export async function buildFile<T>(dest: string, build: (tmp: string) => Promise<T> | T, opts: BuildOptions = {}): Promise<T> {
  const tmp = tempPathFor(dest);
  try {
    const result = await build(tmp);
    renameStepped(tmp, dest);
    return result;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw asIo(err, dest, opts);
  }
}
