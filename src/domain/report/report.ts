import { existsSync, readFileSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { listSessionHandles, loadSession } from '../session/store.js';
import { now, parseLocal } from '../../shared/clock.js';

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
  perDay: { date: string; sessions: number; minutes: number }[];
  scores: { date: string; id: string; score: number }[];
  topFiles: { path: string; sessions: number; checkpoints: number }[];
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
    const f = files.get(path) ?? { sessions: new Set<string>(), checkpoints: 0 };
    f.sessions.add(session);
    if (checkpoint) f.checkpoints += 1;
    files.set(path, f);
  };
  for (const s of sessions) {
    for (const p of [...s.created, ...s.modified]) touch(p, s.id, false);
  }
  for (const h of listSessionHandles(project)) {
    try {
      const doc = loadSession(h);
      if (opts.since && doc.session.date < opts.since) continue;
      for (const c of doc.checkpoints) for (const p of c.files_snapshot) touch(p, h.id, true);
    } catch {
      // already skipped above
    }
  }
  return {
    generatedAt: now().toISOString(),
    ...(opts.since ? { since: opts.since } : {}),
    sessions,
    perDay: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...d })),
    scores: sessions.filter((s) => s.rulemapScore !== null).map((s) => ({ date: s.date, id: s.id, score: s.rulemapScore! })),
    topFiles: [...files]
      .map(([path, f]) => ({ path, sessions: f.sessions.size, checkpoints: f.checkpoints }))
      .sort((a, b) => b.sessions + b.checkpoints - (a.sessions + a.checkpoints) || a.path.localeCompare(b.path))
      .slice(0, 15),
  };
}
