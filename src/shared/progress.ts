/**
 * The step a long operation is in:
 * - `snapshot`: git adds the files to a tree (files counted as git takes them; no total);
 * - `archive`: git writes a backup ZIP (files of the tree; bytes are the ZIP's so far);
 * - `hash`: the ZIP just written read back and checked against the commit; `verify`: a backup checked;
 * - `check`: a ZIP's SHA-256 taken before it is extracted; `extract`: its files written out;
 * - `stage`: a checkpoint's files read from git for a session ZIP; `zip`: the session ZIP written;
 * - `record`: the commit, tag and records of a checkpoint written;
 * - `restore`: a checkpoint's files written out;
 * - `scan`: what a push would publish read for secrets;
 * - `push`, `fetch`: git talks to a remote (`step` is git's own name for what it does, counts are objects);
 * - `upload`, `download`: backups sent to or fetched from an off-site copy (counts are backups).
 */
export type ProgressPhase =
  | 'snapshot' | 'archive' | 'hash' | 'verify' | 'check' | 'extract' | 'stage' | 'zip' | 'record' | 'restore'
  | 'scan' | 'push' | 'fetch' | 'upload' | 'download';

/**
 * What a long operation reports as it goes: plain data, drawn by the CLI on a terminal (a library caller may do
 * what it likes with it). A total of 0 is not known (yet).
 */
export interface Progress {
  phase: ProgressPhase;
  /** Items done: files (objects for push and fetch, backups for upload and download). */
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** git's own words for its step, when the work is git's (push, fetch): "Writing objects", "remote: Counting objects". */
  step?: string;
}

export type ProgressFn = (p: Progress) => void;

/** A phase just begun, nothing counted yet. */
export const started = (phase: ProgressPhase, totalFiles = 0, totalBytes = 0): Progress => ({ phase, files: 0, totalFiles, bytes: 0, totalBytes });
