import { existsSync, readFileSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { isSpecmapFile } from '../session/artifacts.js';
import { listSessionHandles, loadSession } from '../session/store.js';
import { now, parseLocal } from '../../shared/clock.js';
import type { ForkFamily } from './forks.js';

export interface ReportSession {
  id: string;
  date: string;
  startTime: string;
  endTime: string | null;
  status: string;
  focus: string;
  agent: string;
  user?: string;
  durationMinutes: number;
  rulemapScore: number | null;
  created: string[];
  modified: string[];
  checkpoints: { id: string; time: string; description: string; files: number }[];
  summary: string;
}

export interface ReportData {
  generatedAt: string;
  since?: string;
  sessions: ReportSession[];
  /** Every day from the first session's to the last one's, days without sessions included (0, 0). */
  perDay: { date: string; sessions: number; minutes: number }[];
  scores: { date: string; id: string; score: number }[];
  /** The project's files only: specmap's own (04-agents/…, TRACKING.md) are bookkeeping, not work. */
  topFiles: { path: string; sessions: number; checkpoints: number }[];
  /** Families of forks (specmap fork), each compared side by side; filled in by forkFamilies (it reads git). */
  forks?: ForkFamily[];
}

const DAY_MS = 86_400_000;
/** More days than this between the first and the last session are not filled in (a malformed date, say 1970). */
const MAX_FILLED_DAYS = 3660;

/** YYYY-MM-DD as a UTC day number, or undefined. */
function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  return new Date(t).toISOString().slice(0, 10) === date ? t / DAY_MS : undefined;
}

/** The days of `days` plus every day between the first and the last that has no session, oldest first. */
function withEmptyDays(days: Map<string, { sessions: number; minutes: number }>): { date: string; sessions: number; minutes: number }[] {
  const numbers = [...days.keys()].map(dayNumber).filter((n): n is number => n !== undefined);
  if (numbers.length > 1) {
    const first = Math.min(...numbers);
    const last = Math.max(...numbers);
    if (last - first <= MAX_FILLED_DAYS) {
      for (let n = first + 1; n < last; n += 1) {
        const date = new Date(n * DAY_MS).toISOString().slice(0, 10);
        if (!days.has(date)) days.set(date, { sessions: 0, minutes: 0 });
      }
    }
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...d }));
}

function minutesOf(date: string, start: string, end: string | null, recorded: unknown): number {
  if (typeof recorded === 'number') return recorded;
  const a = parseLocal(date, start);
  const b = end ? parseLocal(date, end) : undefined;
  return a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 60_000)) : 0;
}

/** `since` as the report takes it: a date YYYY-MM-DD (INVALID_INPUT, details.kind 'since', otherwise). */
export function checkSince(since: string | undefined): string | undefined {
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    throw new SpecmapError('INVALID_INPUT', `since must be a date YYYY-MM-DD, got ${JSON.stringify(since.slice(0, 40))}`, { kind: 'since' });
  }
  return since;
}

/** The figures behind `specmap report`: every local session (active and archived) from `since` (checked) on. Reads only. */
export function buildReport(project: Project, opts: { since?: string }): ReportData {
  const sessions: ReportSession[] = [];
  const snapshotted: { session: string; files: string[] }[] = [];
  for (const h of listSessionHandles(project)) {
    let doc;
    try {
      doc = loadSession(h);
    } catch {
      continue; // `specmap list --all` and `doctor` report unreadable files
    }
    const s = doc.session;
    if (opts.since && s.date < opts.since) continue;
    const summaryPath = abs(h.dir, 'summary.md');
    for (const c of doc.checkpoints) snapshotted.push({ session: s.id, files: c.files_snapshot });
    sessions.push({
      id: s.id,
      date: s.date,
      startTime: s.start_time,
      endTime: s.end_time,
      status: s.status,
      focus: s.focus,
      agent: s.agent,
      ...(typeof s.user === 'string' ? { user: s.user } : {}),
      durationMinutes: minutesOf(s.date, s.start_time, s.end_time, doc.metrics.duration_minutes),
      rulemapScore: doc.rulemap_score,
      created: doc.artifacts.created,
      modified: doc.artifacts.modified,
      checkpoints: doc.checkpoints.map((c) => ({ id: c.id, time: c.time, description: c.description, files: c.files_snapshot.length })),
      summary: existsSync(summaryPath) ? readFileSync(summaryPath, 'utf8') : '',
    });
  }
  sessions.sort((a, b) => `${a.date} ${a.startTime}`.localeCompare(`${b.date} ${b.startTime}`));

  const days = new Map<string, { sessions: number; minutes: number }>();
  for (const s of sessions) {
    const d = days.get(s.date) ?? { sessions: 0, minutes: 0 };
    d.sessions += 1;
    d.minutes += s.durationMinutes;
    days.set(s.date, d);
  }
  const files = new Map<string, { sessions: Set<string>; checkpoints: number }>();
  const touch = (path: string, session: string, checkpoint: boolean) => {
    if (isSpecmapFile(path)) return;
    const f = files.get(path) ?? { sessions: new Set<string>(), checkpoints: 0 };
    f.sessions.add(session);
    if (checkpoint) f.checkpoints += 1;
    files.set(path, f);
  };
  for (const s of sessions) {
    for (const p of [...s.created, ...s.modified]) touch(p, s.id, false);
  }
  for (const c of snapshotted) for (const p of c.files) touch(p, c.session, true);
  return {
    generatedAt: now().toISOString(),
    ...(opts.since ? { since: opts.since } : {}),
    sessions,
    perDay: withEmptyDays(days),
    scores: sessions.filter((s) => s.rulemapScore !== null).map((s) => ({ date: s.date, id: s.id, score: s.rulemapScore! })),
    topFiles: [...files]
      .map(([path, f]) => ({ path, sessions: f.sessions.size, checkpoints: f.checkpoints }))
      .sort((a, b) => b.sessions + b.checkpoints - (a.sessions + a.checkpoints) || a.path.localeCompare(b.path))
      .slice(0, 15),
  };
}
