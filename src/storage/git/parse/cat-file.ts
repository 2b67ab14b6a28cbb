export interface BatchCheckEntry {
  oid: string;
  /** commit, tree, blob, tag — or `missing` when the object is not in the store. */
  type: string;
  /** With `%(objectsize)` as a third field. */
  size?: number;
}

/** Parses `git cat-file --batch-check='%(objectname) %(objecttype)'` output (a missing object: `<oid> missing`). */
export function parseBatchCheck(stdout: string): BatchCheckEntry[] {
  const out: BatchCheckEntry[] = [];
  for (const line of stdout.split('\n')) {
    const [oid, type, size] = line.split(' ');
    if (oid && type) out.push({ oid, type, ...(size !== undefined && type !== 'missing' ? { size: Number(size) } : {}) });
  }
  return out;
}

/** Parses `git cat-file --batch` output for `count` requests: `<oid> <type> <size> LF <content> LF`, or `<spec> missing`. */
export function parseBatch(buf: Buffer, count: number): (Buffer | undefined)[] {
  const out: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = buf.subarray(at, nl).toString('latin1');
    at = nl + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      out.push(undefined);
      continue;
    }
    const size = Number(header.split(' ')[2]);
    out.push(Buffer.from(buf.subarray(at, at + size)));
    at += size + 1;
  }
  return out;
}
