import type { Project } from '../project/project.js';
import { blameFile } from '../../storage/git/blame.js';
import { listNotes, readNotes } from '../../storage/git/notes.js';
import { carriedOrigins } from './carried.js';
import { NOTES_REF, copiedRecord, fileOrigins, parseNote, recordFor, type LineOrigin } from './trace-record.js';

export interface AttributedLine {
  line: number;
  /** The commit that last changed the line; undefined for a change not committed yet. */
  commit?: string;
  author: string;
  /** Author time (seconds since the epoch); 0 when not committed. */
  authorTime: number;
  /** ai / human from the commit's record; unknown: the commit has none (made with no session, or before specmap). */
  by: 'ai' | 'human' | 'unknown' | 'uncommitted';
  agent?: string;
  session?: string;
  checkpoint?: string;
  content: string;
}

const ZERO = /^0+$/;

/**
 * `git blame` of `path` (in the working tree, or as `rev` has it) with one thing more per line: who wrote it, read
 * from the Agent Trace record of the commit that last changed it (the spec's lookup: blame, then the record for that
 * revision and file, then the range holding the line). A record git copied on a rewrite before specmap settled it is
 * carried to the commit's lines in memory. `notes`: the notes ref's listing, when the caller has it. Reads only.
 */
export async function attributedBlame(project: Project, path: string, rev?: string, notes?: Map<string, string>): Promise<AttributedLine[]> {
  const lines = await blameFile(project.git, path, rev);
  const commits = [...new Set(lines.map((l) => l.commit).filter((c) => !ZERO.test(c)))];
  const listed = notes ?? (await listNotes(project.git, NOTES_REF));
  const texts = await readNotes(project.git, NOTES_REF, commits, listed);
  const origins = new Map<string, Map<number, LineOrigin> | undefined>();
  const originsOf = async (commit: string, file: string): Promise<Map<number, LineOrigin> | undefined> => {
    const key = `${commit}\0${file}`;
    if (origins.has(key)) return origins.get(key);
    const records = parseNote(texts.get(commit) ?? '');
    const own = recordFor(records, commit);
    let found: Map<number, LineOrigin> | undefined;
    if (own) found = fileOrigins(own, file);
    else {
      const copied = copiedRecord(records, commit);
      if (copied?.vcs) found = (await carriedOrigins(project, copied.vcs.revision, copied, commit, [{ path: file, ranges: [] }])).get(file) ?? new Map();
    }
    origins.set(key, found);
    return found;
  };
  const out: AttributedLine[] = [];
  for (const l of lines) {
    const content = Buffer.from(l.content, 'latin1').toString('utf8');
    if (ZERO.test(l.commit)) {
      out.push({ line: l.line, author: l.author, authorTime: 0, by: 'uncommitted', content });
      continue;
    }
    const map = await originsOf(l.commit, l.path);
    const o = map?.get(l.origLine);
    const base = { line: l.line, commit: l.commit, author: l.author, authorTime: l.authorTime, content };
    if (!o) out.push({ ...base, by: 'unknown' });
    else if (o.kind === 'human') out.push({ ...base, by: 'human' });
    else out.push({ ...base, by: 'ai', agent: o.agent, ...(o.session ? { session: o.session } : {}), ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}) });
  }
  return out;
}
