import { basename } from 'node:path';
import { ioError, isSpecmapError } from '../shared/errors.js';
import { REPORT_FILE, abs } from '../shared/layout.js';
import { renderReportHtml } from '../domain/report/html.js';
import { buildReport, checkSince, type ReportData } from '../domain/report/report.js';
import { writeFileAtomic } from '../storage/fs/atomic-write.js';
import { toOutputDir } from '../storage/fs/project-path.js';
import type { ReportResult } from './contract/report.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ReportResult } from './contract/report.js';

export interface ReportOptions extends ProjectOptions {
  /** Only sessions from this date on (YYYY-MM-DD). */
  since?: string;
  /** Write the self-contained HTML page too. */
  html?: boolean;
  /** Where to write it (relative to `cwd`, or absolute; inside or outside the project); implies `html`. Default: specmap-report.html at the project root. */
  out?: string;
}

/**
 * Analytics over every local session: per day, RULEMAP scores, most-touched files, checkpoints; with `html`, also
 * one self-contained HTML page (inline CSS and SVG, nothing fetched).
 *
 * @example
 * const r = await report({ cwd: '/repo', since: '2025-10-25' });
 * r.per_day; // → [{ date: '2025-10-25', sessions: 2, minutes: 180 }]
 * await report({ cwd: '/repo', out: 'report.html' }); // → { …, file: '/repo/report.html' }
 */
export async function report(opts: ReportOptions = {}): Promise<ReportResult> {
  const since = checkSince(opts.since);
  return transaction(opts, 'read', ({ project, cwd }) => {
    const data = buildReport(project, { since });
    let file: string | null = null;
    if (opts.html || opts.out !== undefined) {
      file = opts.out !== undefined ? toOutputDir(project.root, cwd, opts.out).abs : abs(project.root, REPORT_FILE);
      try {
        writeFileAtomic(file, renderReportHtml(data, basename(project.root)));
      } catch (err) {
        throw isSpecmapError(err) ? err : ioError('write', file, err);
      }
    }
    return view(data, file);
  });
}

function view(d: ReportData, file: string | null): ReportResult {
  return {
    generated_at: d.generatedAt,
    since: d.since ?? null,
    sessions: d.sessions.map((s) => ({
      session_id: s.id,
      date: s.date,
      start_time: s.startTime,
      end_time: s.endTime,
      status: s.status,
      focus: s.focus,
      agent: s.agent,
      user: s.user ?? null,
      duration_minutes: s.durationMinutes,
      rulemap_score: s.rulemapScore,
      created: s.created,
      modified: s.modified,
      checkpoints: s.checkpoints.map((c) => ({ checkpoint_id: c.id, time: c.time, description: c.description, files: c.files })),
      summary: s.summary,
    })),
    per_day: d.perDay,
    scores: d.scores.map((s) => ({ date: s.date, session_id: s.id, score: s.score })),
    top_files: d.topFiles,
    file,
  };
}
