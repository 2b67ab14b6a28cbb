export interface BatchCheckEntry {
  oid: string;
  /** commit, tree, blob, tag — or `missing` when the object is not in the store. */
  type: string;
}

/** Parses `git cat-file --batch-check='%(objectname) %(objecttype)'` output (a missing object: `<oid> missing`). */
export function parseBatchCheck(stdout: string): BatchCheckEntry[] {
  const out: BatchCheckEntry[] = [];
  for (const line of stdout.split('\n')) {
    const [oid, type] = line.split(' ');
    if (oid && type) out.push({ oid, type });
  }
  return out;
}
