import { resolveAnySession } from './lookup.js';
import { existsSync } from 'node:fs';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession, sessionRoot, type SessionHandle } from './store.js';
import type { SessionDoc } from './session-file.js';
import { abs, checkpointTagName, sessionBackupRel } from '../../shared/layout.js';
import { SpecmapError } from '../../shared/errors.js';
import { diffText, existingObjects } from '../../storage/git/diff.js';

/** Where a checkpoint's files can be read from, best first. */
export type CheckpointSource = 'git' | 'copies' | 'zip' | 'none';

export interface LogEntry {
  session: string;
  id: string;
  /** 1-based position in the session. */
  number: number;
  date: string;
  time: string;
  description: string;
  agent: string;
  files: string[];
  commit: string | undefined;
  tag: string | undefined;
  /** False when the commit is recorded but its objects are gone (restore then reads the ZIP). */
  inGit: boolean;
  source: CheckpointSource;
  stat?: string;
  patch?: string;
}

export interface LogInput {
  /** A session reference; undefined with `all` for every session. */
  session?: string;
  all?: boolean;
  limit?: number;
  stat?: boolean;
  patch?: boolean;
  color?: boolean;
}

/** Checkpoints newest first, like `git log`: one session, or every session merged by time. */
export async function checkpointLog(project: Project, opts: LogInput): Promise<LogEntry[]> {
  const handles = opts.all ? listSessionHandles(project) : [await resolveAnySession(project, opts.session ?? '@')];
  let entries: PlainEntry[] = [];
  for (const h of handles) {
    let doc: SessionDoc;
    try {
      doc = loadSession(h);
    } catch (err) {
      if (opts.all && err instanceof SpecmapError) continue; // `list --all` reports broken files; log skips them
      throw err;
    }
    entries.push(...plainEntries(project, h, doc));
  }
  entries.sort(newestFirst);
  // Limit first: what follows asks git and the disk about each entry, and `-n 10` of 1,000 must not pay for 1,000.
  if (opts.limit !== undefined) entries = entries.slice(0, opts.limit);
  const out = await withSources(project, entries);
  if (opts.stat || opts.patch) {
    for (const e of out) {
      if (!e.inGit || !e.commit) continue;
      if (opts.stat) e.stat = await diffText(project.git, `${e.commit}^`, e.commit, { stat: true, patch: false, color: opts.color });
      if (opts.patch) e.patch = await diffText(project.git, `${e.commit}^`, e.commit, { patch: true, color: opts.color });
    }
  }
  return out;
}

/** Newest first: by date and time, then by position in the session (a number, so 1000 comes after 999). */
function newestFirst(a: PlainEntry, b: PlainEntry): number {
  const at = `${a.date} ${a.time}`;
  const bt = `${b.date} ${b.time}`;
  if (at !== bt) return at < bt ? 1 : -1;
  if (a.number !== b.number) return b.number - a.number;
  return a.session < b.session ? 1 : a.session > b.session ? -1 : 0;
}

/** A log entry before anyone looked where its files are. */
type PlainEntry = Omit<LogEntry, 'inGit' | 'source'> & { dir: string; zip: string };

function plainEntries(project: Project, h: SessionHandle, doc: SessionDoc): PlainEntry[] {
  // A fork's ZIP, once it has ended, is in its own worktree's 04-agents/backups/.
  const zip = abs(sessionRoot(project, h), sessionBackupRel(h.id));
  return doc.checkpoints.map((c, i) => ({
    session: h.id,
    id: c.id,
    number: i + 1,
    date: typeof c.date === 'string' ? c.date : doc.session.date,
    time: c.time,
    description: c.description,
    agent: doc.session.agent,
    files: c.files_snapshot,
    commit: c.commit,
    tag: c.commit ? `refs/tags/${checkpointTagName(h.id, c.id)}` : undefined,
    dir: h.dir,
    zip,
  }));
}

/** Where each entry's files can be read from: one batch question to git, one look for each session's ZIP. */
async function withSources(project: Project, entries: PlainEntry[]): Promise<LogEntry[]> {
  const present = await existingObjects(project.git, entries.map((e) => e.commit).filter((c): c is string => typeof c === 'string'));
  const zips = new Map<string, boolean>();
  return entries.map(({ dir, zip: zipPath, ...e }) => {
    const inGit = e.commit !== undefined && present.has(e.commit);
    let zip = zips.get(e.session);
    if (zip === undefined) zips.set(e.session, (zip = existsSync(zipPath)));
    const source: CheckpointSource = inGit ? 'git' : existsSync(abs(dir, `snapshots/${e.id}`)) ? 'copies' : zip ? 'zip' : 'none';
    return { ...e, inGit, source };
  });
}

/** A session's checkpoints, oldest first, with where their files can be read from. */
export async function sessionEntries(project: Project, h: SessionHandle, doc: SessionDoc): Promise<LogEntry[]> {
  return withSources(project, plainEntries(project, h, doc));
}

/** One checkpoint of a session (by its index), with where its files can be read from. */
export async function sessionEntry(project: Project, h: SessionHandle, doc: SessionDoc, index: number): Promise<LogEntry> {
  return (await withSources(project, [plainEntries(project, h, doc)[index]!]))[0]!;
}
