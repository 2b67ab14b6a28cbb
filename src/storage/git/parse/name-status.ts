import { pathText } from '../../../shared/path-text.js';
import { splitNul } from './nul.js';

export type NameStatus = 'A' | 'M' | 'D' | 'T' | 'R' | 'C' | 'U' | 'X';

export interface NameStatusEntry {
  status: NameStatus;
  /** The similarity of a rename or copy (R100 → 100). */
  score?: number;
  /** The name in text form (shared/path-text.ts); for a rename or copy, the new name. */
  path: string;
  /** For renames and copies: the old name, in text form. */
  from?: string;
}

/**
 * Parses `--name-status -z` output (`diff-tree`, `diff`): `<status> NUL <path> NUL`, and for a rename or copy
 * `<R|C><score> NUL <from> NUL <to> NUL`.
 */
export function parseNameStatus(buf: Buffer): NameStatusEntry[] {
  const parts = splitNul(buf);
  const out: NameStatusEntry[] = [];
  let i = 0;
  while (i + 1 < parts.length) {
    const field = parts[i]!.toString('latin1');
    const status = field.charAt(0) as NameStatus;
    if ((status === 'R' || status === 'C') && i + 2 < parts.length) {
      const entry: NameStatusEntry = { status, from: pathText(Buffer.from(parts[i + 1]!)), path: pathText(Buffer.from(parts[i + 2]!)) };
      if (field.length > 1) entry.score = Number(field.slice(1));
      out.push(entry);
      i += 3;
    } else {
      out.push({ status, path: pathText(Buffer.from(parts[i + 1]!)) });
      i += 2;
    }
  }
  return out;
}
