import { pathText } from '../../../shared/path-text.js';
import { splitNul } from './nul.js';

export interface TreeEntry {
  /** Octal mode as git writes it: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** The name in text form (shared/path-text.ts): plain UTF-8, or git-quoted when its bytes are not. */
  path: string;
  /** The name's bytes exactly as git holds them. */
  raw: Buffer;
}

/** Parses `git ls-tree -z` output: `<mode> SP <type> SP <oid> TAB <name> NUL` per entry. */
export function parseLsTree(buf: Buffer): TreeEntry[] {
  return splitNul(buf).map((rec) => {
    const tab = rec.indexOf(0x09);
    const [mode, type, oid] = rec.subarray(0, tab).toString('latin1').split(' ');
    const raw = Buffer.from(rec.subarray(tab + 1));
    return { mode: mode!, type: type as TreeEntry['type'], oid: oid!, path: pathText(raw), raw };
  });
}
