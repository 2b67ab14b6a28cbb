/**
 * The one error type every layer throws. `code` is stable (tests and --json consumers match on it);
 * the exit status follows from the code, so front doors never choose one themselves.
 */
export const EXIT_CODES = {
  USAGE: 2,
  NOT_A_REPO: 3,
  SESSION_NOT_FOUND: 4,
  SESSION_AMBIGUOUS: 4,
  CHECKPOINT_NOT_FOUND: 4,
  BACKUP_NOT_FOUND: 4,
  INVALID_INPUT: 5,
  PATH_OUTSIDE_PROJECT: 5,
  CORRUPT_DATA: 6,
  CONFLICT: 7,
  LOCKED: 7,
  SECRETS_FOUND: 7,
  NOTHING_TO_DO: 8,
  GIT_FAILED: 9,
  /** rclone (the engine of off-site backups) ran and failed: the remote is unreachable, unknown or refused us. */
  RCLONE_FAILED: 9,
  /** rclone is not installed (or SPECMAP_RCLONE names no program that runs). */
  RCLONE_MISSING: 9,
  IO: 9,
  /** The disk (or quota) is full: the file being written is left as it was; free some space and run it again. */
  NO_SPACE: 9,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

export class SpecmapError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SpecmapError';
    this.code = code;
    this.exitCode = EXIT_CODES[code];
    this.details = details;
  }
}

export function isSpecmapError(err: unknown): err is SpecmapError {
  return err instanceof SpecmapError;
}

/**
 * Wraps a Node fs error as an IO SpecmapError with a sentence that names the path; a full disk or quota (ENOSPC,
 * EDQUOT) is NO_SPACE. An error that already is ours passes through.
 */
export function ioError(action: string, path: string, err: unknown): SpecmapError {
  if (isSpecmapError(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'ENOSPC' ? 'no space left on device'
    : code === 'EDQUOT' ? 'disk quota exceeded'
    : code === 'EROFS' ? 'read-only file system'
    : code === 'ENOENT' ? 'no such file or directory'
    : code === 'ENOTDIR' ? 'not a directory'
    : code === 'EISDIR' ? 'is a directory'
    : code === 'EEXIST' ? 'already exists'
    : (err as Error | undefined)?.message ?? String(err);
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new SpecmapError(full ? 'NO_SPACE' : 'IO', `cannot ${action} ${path}: ${reason}`, { errno: code });
}

/**
 * Any error as a SpecmapError: ours as they are, a Node file-system error (ENOTDIR, EACCES, ENOSPC, ...) as an IO
 * error naming the path, anything else undefined (a bug, to be reported as one).
 */
export function asSpecmapError(err: unknown): SpecmapError | undefined {
  if (isSpecmapError(err)) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string') {
    const action = { scandir: 'read folder', open: 'open', mkdir: 'create folder', rename: 'move', unlink: 'delete', rmdir: 'delete', write: 'write', read: 'read', link: 'create', copyfile: 'copy', stat: 'inspect', lstat: 'inspect' }[e.syscall] ?? e.syscall;
    return ioError(action, e.path ?? '(unknown path)', err);
  }
  return undefined;
}
