import { pathText } from '../../../shared/path-text.js';
import { unquoteField } from './patch.js';

/** One line of `git blame --line-porcelain`. */
export interface BlameLine {
  /** The commit that last changed the line (all zeros: not committed yet). */
  commit: string;
  /** Its number in that commit's version of the file. */
  origLine: number;
  /** Its number in the file blamed. */
  line: number;
  /** The file's name in that commit (text form): it differs after a rename. */
  path: string;
  author: string;
  /** Author time, seconds since the epoch. */
  authorTime: number;
  /** The line's content, as bytes read one per character (latin1). */
  content: string;
}

/** Parses `git blame --line-porcelain` output (with core.quotePath=false): a header block, then TAB and the line. */
export function parseBlamePorcelain(buf: Buffer): BlameLine[] {
  const text = buf.toString('latin1');
  const out: BlameLine[] = [];
  let at = 0;
  let cur: Partial<BlameLine> = {};
  while (at < text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const line = text.slice(at, nl);
    at = nl + 1;
    if (line.startsWith('\t')) {
      out.push({ commit: '', origLine: 0, line: 0, path: '', author: '', authorTime: 0, ...cur, content: line.slice(1) });
      cur = {};
      continue;
    }
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (/^[0-9a-f]{40,64}$/.test(key) && cur.commit === undefined) {
      const [orig, final] = value.split(' ');
      cur.commit = key;
      cur.origLine = Number(orig);
      cur.line = Number(final);
    } else if (key === 'author') {
      cur.author = Buffer.from(value, 'latin1').toString('utf8');
    } else if (key === 'author-time') {
      cur.authorTime = Number(value);
    } else if (key === 'filename') {
      cur.path = pathText(unquoteField(value));
    }
  }
  return out;
}
