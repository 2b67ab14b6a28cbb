import { pathText } from '../../../shared/path-text.js';
import { splitNul } from './nul.js';

export interface IndexEntry {
  mode: string;
  oid: string;
  /** 0 for a merged entry; 1 (base), 2 (ours), 3 (theirs) for an unmerged path. */
  stage: number;
  /** The name in text form (shared/path-text.ts). */
  path: string;
  raw: Buffer;
}

/** Parses `git ls-files -s -z` output: `<mode> SP <oid> SP <stage> TAB <name> NUL` per entry. */
export function parseLsFilesStage(buf: Buffer): IndexEntry[] {
  return splitNul(buf).map((rec) => {
    const tab = rec.indexOf(0x09);
    const [mode, oid, stage] = rec.subarray(0, tab).toString('latin1').split(' ');
    const raw = Buffer.from(rec.subarray(tab + 1));
    return { mode: mode!, oid: oid!, stage: Number(stage), path: pathText(raw), raw };
  });
}
