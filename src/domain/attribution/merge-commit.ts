import type { Project } from '../project/project.js';
import type { AddedLines } from '../../storage/git/diff.js';
import { readBlobs } from '../../storage/git/objects.js';
import { attributedBlame } from './blame.js';
import { HUMAN, type LineOrigin } from './trace-record.js';

/** A line a merge brought in from a merged branch: who wrote it there, and the commit that did (`git blame`'s). */
export interface MergedLine {
  origin: LineOrigin;
  via: string;
}

/** The parents of `commit`, read from the commit object (one `cat-file --batch`). */
export async function commitParents(project: Project, commit: string): Promise<string[]> {
  const [raw] = await readBlobs(project.git, [commit]);
  if (!raw) return [];
  const text = raw.toString('latin1');
  const split = text.indexOf('\n\n');
  return [...(split < 0 ? text : text.slice(0, split)).matchAll(/^parent ([0-9a-f]{40,64})$/gm)].map((m) => m[1]!);
}

/**
 * Sorts out the lines a merge commit added against its first parent (`files`), with `git blame` of the merge, file
 * by file: a line blame gives to the merge itself is in none of its parents, so new in it (a conflict's
 * resolution): it is left out here and attributed as any commit's line is. A line blame gives to another commit
 * came in from a merged branch: it keeps what that commit's record says of it (with `via`, that commit), or —
 * with no record saying — null, and the merge's record leaves it out (blame never looks for it there). So every line
 * counts once, in the commit that brought it into the history. Returns path → line → that. `notes`: the notes
 * ref's listing.
 */
export async function mergedLines(project: Project, commit: string, files: AddedLines[], notes: Map<string, string>): Promise<Map<string, Map<number, MergedLine | null>>> {
  const out = new Map<string, Map<number, MergedLine | null>>();
  for (const f of files) {
    const added = new Set(f.ranges.flatMap(([start, count]) => Array.from({ length: count }, (_, i) => start + i)));
    if (added.size === 0) continue;
    const lines = new Map<number, MergedLine | null>();
    let blamed;
    try {
      blamed = await attributedBlame(project, f.path, commit, notes);
    } catch {
      // A file git cannot blame (a name cat-file cannot carry): nothing of it is claimed, rather than counted twice.
      for (const n of added) lines.set(n, null);
      out.set(f.path, lines);
      continue;
    }
    for (const l of blamed) {
      if (!added.has(l.line) || !l.commit || l.commit === commit) continue;
      const origin: LineOrigin | undefined = l.by === 'ai'
        ? { kind: 'ai', session: l.session ?? '', agent: l.agent ?? 'ai', ...(l.checkpoint ? { checkpoint: l.checkpoint } : {}) }
        : l.by === 'human' ? HUMAN : undefined;
      lines.set(l.line, origin ? { origin, via: l.commit } : null);
    }
    out.set(f.path, lines);
  }
  return out;
}
