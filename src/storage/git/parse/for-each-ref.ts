export interface RefEntry {
  ref: string;
  oid: string;
}

/** Parses `git for-each-ref --format='%(objectname) %(refname)'` output. */
export function parseRefList(stdout: string): RefEntry[] {
  const entries: RefEntry[] = [];
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    entries.push({ oid: line.slice(0, space), ref: line.slice(space + 1) });
  }
  return entries;
}
