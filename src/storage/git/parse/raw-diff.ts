import { pathText } from '../../../shared/path-text.js';
import { splitNul } from './nul.js';

export interface RawChange {
  /** A (added), M (modified), D (deleted) or T (type changed); renames are not asked for. */
  status: 'A' | 'M' | 'D' | 'T';
  /** The new entry's mode and id ("000000" and all zeros for a deletion). */
  mode: string;
  oid: string;
  /** The name in text form (shared/path-text.ts). */
  path: string;
  /** The name's bytes exactly as git holds them. */
  raw: Buffer;
}

/** Parses `diff-tree -r -z --raw --no-renames` output: `:<old mode> <new mode> <old id> <new id> <status> NUL <path> NUL`. */
export function parseRawDiff(buf: Buffer): RawChange[] {
  const parts = splitNul(buf);
  const out: RawChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, mode, , oid, status] = parts[i]!.toString('latin1').slice(1).split(' ');
    const raw = Buffer.from(parts[i + 1]!);
    out.push({ status: status!.charAt(0) as RawChange['status'], mode: mode!, oid: oid!, path: pathText(raw), raw });
  }
  return out;
}
