import { resolveAnySession } from './lookup.js';
import { existsSync } from 'node:fs';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession, type SessionHandle } from './store.js';
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
  let entries: LogEntry[] = [];
  for (const h of handles) {
    let doc: SessionDoc;
    try {
      doc = loadSession(h);
    } catch (err) {
      if (opts.all && err instanceof SpecmapError) continue; // `list --all` reports broken files; log skips them
      throw err;
    }
    entries.push(...(await sessionEntries(project, h, doc)));
  }
  entries.sort((a, b) => `${b.date} ${b.time} ${b.number}`.localeCompare(`${a.date} ${a.time} ${a.number}`));
  if (opts.limit !== undefined) entries = entries.slice(0, opts.limit);
  if (opts.stat || opts.patch) {
    for (const e of entries) {
      if (!e.inGit || !e.commit) continue;
      if (opts.stat) e.stat = await diffText(project.git, `${e.commit}^`, e.commit, { stat: true, patch: false, color: opts.color });
      if (opts.patch) e.patch = await diffText(project.git, `${e.commit}^`, e.commit, { patch: true, color: opts.color });
    }
  }
  return entries;
}

/** A session's checkpoints, oldest first, with where their files can be read from. */
export async function sessionEntries(project: Project, h: SessionHandle, doc: SessionDoc): Promise<LogEntry[]> {
  const commits = doc.checkpoints.map((c) => c.commit).filter((c): c is string => typeof c === 'string');
  const present = await existingObjects(project.git, commits);
  return doc.checkpoints.map((c, i) => {
    const inGit = c.commit !== undefined && present.has(c.commit);
    const copies = existsSync(abs(h.dir, `snapshots/${c.id}`));
    const zip = existsSync(abs(project.root, sessionBackupRel(h.id)));
    return {
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
      inGit,
      source: inGit ? 'git' : copies ? 'copies' : zip ? 'zip' : 'none',
    };
  });
}
