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

/** A ref with what it points at, for `git for-each-ref --format=REF_DETAIL_FORMAT`. */
export interface RefDetail {
  ref: string;
  oid: string;
  /** commit, tag, tree or blob. */
  type: string;
  /** An annotated tag's target (`%(*objectname)`); undefined for anything else. */
  peeled?: string;
  /** Seconds since the epoch: a commit's committer date, a tag's tagger date; undefined for a tree or blob. */
  date?: number;
}

export const REF_DETAIL_FORMAT = '%(objectname) %(objecttype) %(*objectname) %(creatordate:unix) %(refname)';

/** Parses `git for-each-ref --format=REF_DETAIL_FORMAT` output (empty fields for what a ref does not have). */
export function parseRefDetails(stdout: string): RefDetail[] {
  const out: RefDetail[] = [];
  for (const line of stdout.split('\n')) {
    const [oid, type, peeled, date, ...rest] = line.split(' ');
    const ref = rest.join(' ');
    if (!oid || !type || !ref) continue;
    out.push({ ref, oid, type, ...(peeled ? { peeled } : {}), ...(date ? { date: Number(date) } : {}) });
  }
  return out;
}
