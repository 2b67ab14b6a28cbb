import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
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

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Puts the finished file `src` (written by another program: a download) at `dest`, which is absent: fsynced, then
 * renamed; across file systems copied beside `dest` first and renamed from there (buildFile), so `dest` is never
 * seen half-written.
 */
export async function placeFile(src: string, dest: string, opts: BuildOptions = {}): Promise<void> {
  try {
    fsyncFile(src);
    renameStepped(src, dest);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw asIo(err, dest, opts);
  }
  await buildFile(dest, (tmp) => {
    copyFileSync(src, tmp);
    fsyncFile(tmp);
  }, opts);
}
