export interface CommitInfo {
  oid: string;
  /** Committer time. */
  date: Date;
  message: string;
}

/** The `git log` format parseLog reads: id, committer time, raw message; unit and record separators between. */
export const LOG_FORMAT = '--format=%H%x1f%ct%x1f%B%x1e';

/** Parses `git log` output written with LOG_FORMAT (messages lose their trailing newlines). */
export function parseLog(stdout: string): CommitInfo[] {
  return stdout.split('\x1e').map((r) => r.replace(/^\n/, '')).filter((r) => r.length > 0).map((r) => {
    const [oid, ct, message] = r.split('\x1f');
    return { oid: oid!, date: new Date(Number(ct) * 1000), message: (message ?? '').trimEnd() };
  });
}

/** The value of the `Key: value` trailer in a commit message (the first one when repeated). */
export function trailer(message: string, key: string): string | undefined {
  const m = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (.+)$`, 'm').exec(message);
  return m?.[1]?.trim();
}
