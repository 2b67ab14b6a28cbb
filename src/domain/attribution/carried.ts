import type { Project } from '../project/project.js';
import type { AddedLines } from '../../storage/git/diff.js';
import { readVersions } from './chain.js';
import { carriedLines } from './line-diff.js';
import { fileOrigins, type LineOrigin, type TraceRecord } from './trace-record.js';

/** The lines of `from`'s record, carried to `commit` line by line (path → line → origin). */
export async function carriedOrigins(project: Project, from: string, record: TraceRecord, commit: string, files: AddedLines[]): Promise<Map<string, Map<number, LineOrigin>>> {
  const paths = [...new Set(files.flatMap((f) => [f.path, f.from ?? f.path]))];
  const v = await readVersions(project, [from, commit], paths);
  const out = new Map<string, Map<number, LineOrigin>>();
  for (const f of files) {
    const oldPath = v.blob(from, f.path) ? f.path : f.from ?? f.path;
    const old = fileOrigins(record, oldPath);
    if (old.size === 0) continue;
    const map = carriedLines(v.lines(from, oldPath), v.lines(commit, f.path));
    const carried = new Map<number, LineOrigin>();
    map.forEach((k, j) => {
      const o = k >= 0 ? old.get(k + 1) : undefined;
      if (o) carried.set(j + 1, o);
    });
    out.set(f.path, carried);
  }
  return out;
}

