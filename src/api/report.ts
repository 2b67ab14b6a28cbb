import { basename } from 'node:path';
import { renderReportHtml } from '../domain/report/html.js';
import { reportTarget, writeReport } from '../domain/report/output.js';
import { buildReport, checkSince, type ReportData } from '../domain/report/report.js';
import { forkFamilies } from '../domain/report/forks.js';
import type { ReportResult } from './contract/report.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { ReportResult } from './contract/report.js';

export interface ReportOptions extends ProjectOptions {
  /** Only sessions from this date on (YYYY-MM-DD). */
  since?: string;
  /** Write the self-contained HTML page too. */
  html?: boolean;
  /**
   * Where to write it (relative to `cwd`, or absolute; inside or outside the project; missing folders are created;
   * a folder, or a path ending in `/`, gets `report.html` inside it); implies `html`. Default:
   * 04-agents/reports/report.html, git-ignored and never in a checkpoint.
   */
  out?: string;
}

/**
 * Analytics over every local session: per day, RULEMAP scores, most-touched files, checkpoints, and every family of
 * forks (any worktree) compared side by side as `compare` does (without a command run); with `html`, also
 * one self-contained HTML page (inline CSS and SVG, nothing fetched, no script) that reads at any width from 420 px up;
 * session summaries are rendered from their Markdown (a safe subset, HTML escaped).
 *
 * @example
 * const r = await report({ cwd: '/repo', since: '2025-10-25' });
 * r.per_day; // → [{ date: '2025-10-25', sessions: 2, minutes: 180 }]
 * await report({ cwd: '/repo', html: true }); // → { …, file: '/repo/04-agents/reports/report.html' }
 * await report({ cwd: '/repo', out: 'out/new/' }); // → { …, file: '/repo/out/new/report.html' }
 */
export async function report(opts: ReportOptions = {}): Promise<ReportResult> {
  const since = checkSince(opts.since);
  const html = opts.html === true || opts.out !== undefined;
  // The default place is git-ignored on the way (.gitignore is written): under the lock, as `init` does it.
  return transaction(opts, html && opts.out === undefined ? 'write' : 'read', async ({ project, cwd }) => {
    const target = html ? reportTarget(project, cwd, opts.out) : undefined;
    const data = buildReport(project, { since });
    data.forks = await forkFamilies(project, since);
    if (target) writeReport(project, target, renderReportHtml(data, basename(project.root)));
    return view(data, target?.file ?? null);
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
    forks: (d.forks ?? []).map((f) => ({
      parent_session_id: f.parent,
      sessions: f.compared.sessions.map((s) => ({
        session_id: s.id, forked_at: s.forkedFrom?.checkpoint ?? null, status: s.status, agent: s.agent, worktree: s.worktree, checkpoints: s.checkpoints,
        files_touched: s.files.length, lines_added: s.linesAdded, lines_removed: s.linesRemoved, rulemap_score: s.rulemapScore, duration_minutes: s.durationMinutes,
      })),
      diffs: f.compared.diffs.map((x) => ({ from: x.from, to: x.to, files_changed: x.files.length, lines_added: x.linesAdded, lines_removed: x.linesRemoved })),
    })),
    file,
  };
}
