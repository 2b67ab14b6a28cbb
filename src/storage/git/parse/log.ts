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

/**
 * The paragraph of `message` that holds its trailers: the last one, as git itself reads trailers. specmap writes its
 * trailers there and nowhere else, so a line in the description that looks like one (`Session-Id: other`) is text.
 */
export function trailerBlock(message: string): { body: string; trailers: string } {
  const text = message.replace(/\s+$/, '');
  const at = text.lastIndexOf('\n\n');
  return at < 0 ? { body: '', trailers: text } : { body: text.slice(0, at), trailers: text.slice(at + 2) };
}

/** The value of the `Key: value` trailer in a commit message's last paragraph (the last one when repeated). */
export function trailer(message: string, key: string): string | undefined {
  const re = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (.+)$`, 'gm');
  let value: string | undefined;
  for (const m of trailerBlock(message).trailers.matchAll(re)) value = m[1]!.trim();
  return value;
}
