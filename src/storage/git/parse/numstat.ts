import { pathText } from '../../../shared/path-text.js';
import { splitNul } from './nul.js';

export interface NumstatEntry {
  /** The name in text form (shared/path-text.ts). */
  path: string;
  /** Lines added and removed; null for a binary file, which git counts in bytes it does not print. */
  added: number | null;
  removed: number | null;
}

/**
 * Parses `diff-tree --numstat -z --no-renames` output: `<added> TAB <removed> TAB <path> NUL` per file, `-` for
 * both counts of a binary file.
 */
export function parseNumstat(buf: Buffer): NumstatEntry[] {
  const out: NumstatEntry[] = [];
  for (const rec of splitNul(buf)) {
    const tab1 = rec.indexOf(0x09);
    const tab2 = tab1 < 0 ? -1 : rec.indexOf(0x09, tab1 + 1);
    if (tab2 < 0) continue;
    const count = (b: Buffer) => {
      const t = b.toString('latin1');
      return /^\d+$/.test(t) ? Number(t) : null;
    };
    out.push({ added: count(rec.subarray(0, tab1)), removed: count(rec.subarray(tab1 + 1, tab2)), path: pathText(Buffer.from(rec.subarray(tab2 + 1))) });
  }
  return out;
}
