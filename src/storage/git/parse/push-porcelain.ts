export interface PushedRef {
  ref: string;
  /** git's flag: ' ' fast-forward, '*' new, '=' up to date, '!' rejected, '-' deleted, '+' forced. */
  flag: string;
  summary: string;
}

/** Parses `git push --porcelain` output: `<flag> TAB <from>:<to> TAB <summary>` per ref ("To" and "Done" skipped). */
export function parsePushPorcelain(stdout: string): PushedRef[] {
  const out: PushedRef[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(.)\t([^:]*):([^\t]*)\t(.*)$/.exec(line);
    if (m) out.push({ flag: m[1]!, ref: m[3]!, summary: m[4]! });
  }
  return out;
}
