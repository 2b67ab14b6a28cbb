/** The NUL-terminated records of `-z` output, as bytes (empty records are dropped). */
export function splitNul(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0, start); i !== -1; i = buf.indexOf(0, start)) {
    if (i > start) out.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

/**
 * The names of `-z` name lists (`ls-tree --name-only`, `diff --name-only`, `check-ignore`) decoded as UTF-8, the
 * way callers that match them against globs and prefixes have always read them.
 */
export function parseNameList(buf: Buffer): string[] {
  return splitNul(buf).map((b) => b.toString('utf8'));
}
