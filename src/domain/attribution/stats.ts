import { parseLocal } from '../../shared/clock.js';
import type { Project } from '../project/project.js';
import { commitSubjects } from '../../storage/git/commits.js';
import { listNotes, readNotes } from '../../storage/git/notes.js';
import { NOTES_REF, attributedRanges, copiedRecord, parseNote, recordFor, specmapMeta } from './trace-record.js';

export interface LineCounts {
  /** Lines written by agents, per agent. */
  agents: Record<string, number>;
  ai: number;
  human: number;
}

export interface CommitStats extends LineCounts { commit: string; time: number; subject: string; session?: string }
export interface SessionStats extends LineCounts { session: string; commits: number }
export interface FileStats extends LineCounts { path: string }

export interface AttributionStats {
  since?: string;
  /** Commits of HEAD's history with a record, newest first. */
  commits: CommitStats[];
  sessions: SessionStats[];
  files: FileStats[];
  total: LineCounts & { commits: number };
}

const empty = (): LineCounts => ({ agents: {}, ai: 0, human: 0 });

function add(to: LineCounts, kind: 'ai' | 'human', n: number, agent?: string): void {
  if (kind === 'human') to.human += n;
  else {
    to.ai += n;
    const a = agent ?? 'ai';
    to.agents[a] = (to.agents[a] ?? 0) + n;
  }
}

/**
 * The share of lines agents wrote, per commit, per session and per file, over the commits of HEAD's history that
 * have a record (committed on or after `since`, a local date YYYY-MM-DD). Each line counts once, in the commit that
 * brought it into the history (the one `git blame` names): a merge commit counts only the lines new in it (a
 * conflict's resolution), not those it brought in from the merged branch, and a cherry-pick of a commit the history
 * also holds counts none. Reads only: one `git log`, one `git notes
 * list` and one `cat-file --batch`.
 */
export async function attributionStats(project: Project, opts: { since?: string }): Promise<AttributionStats> {
  const from = opts.since ? parseLocal(opts.since, '00:00:00') : undefined;
  const listed = await listNotes(project.git, NOTES_REF);
  const history = listed.size === 0 ? [] : await commitSubjects(project.git, 'HEAD');
  const noted = history.filter((c) => listed.has(c.oid) && (!from || c.time * 1000 >= from.getTime()));
  const inHistory = new Set(history.map((c) => c.oid));
  const texts = await readNotes(project.git, NOTES_REF, noted.map((c) => c.oid), listed);
  const commits: CommitStats[] = [];
  const sessions = new Map<string, SessionStats>();
  const files = new Map<string, FileStats>();
  const total = { ...empty(), commits: 0 };
  const sessionOf = (id: string) => {
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { session: id, commits: 0, ...empty() }));
    return s;
  };
  for (const c of noted) {
    const records = parseNote(texts.get(c.oid) ?? '');
    const record = recordFor(records, c.oid) ?? copiedRecord(records, c.oid);
    if (!record) continue;
    const meta = specmapMeta(record);
    const session = meta.session;
    // A cherry-pick of a commit this history also holds (picked from a branch merged later): its lines are that
    // commit's, counted there.
    const repeated = meta.source === 'cherry-pick' && typeof meta.from === 'string' && inHistory.has(meta.from);
    const row: CommitStats = { commit: c.oid, time: c.time, subject: c.subject, ...(session ? { session } : {}), ...empty() };
    if (session) sessionOf(session).commits++;
    for (const r of attributedRanges(record)) {
      // A merge's lines from a merged branch count in the commits that wrote them, which are in this history too.
      if (r.via || repeated) continue;
      const n = r.end - r.start + 1;
      const kind = r.origin.kind;
      const agent = r.origin.kind === 'ai' ? r.origin.agent : undefined;
      add(row, kind, n, agent);
      add(total, kind, n, agent);
      let f = files.get(r.path);
      if (!f) files.set(r.path, (f = { path: r.path, ...empty() }));
      add(f, kind, n, agent);
      // An agent's lines count for the session they were written in; the person's for the session of the commit.
      const s = r.origin.kind === 'ai' && r.origin.session ? r.origin.session : session;
      if (s) add(sessionOf(s), kind, n, agent);
    }
    total.commits++;
    commits.push(row);
  }
  return {
    ...(opts.since ? { since: opts.since } : {}),
    commits,
    sessions: [...sessions.values()].sort((a, b) => a.session.localeCompare(b.session)),
    files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)),
    total,
  };
}
