import { esc, renderMarkdown } from './markdown.js';
import type { ReportData, ReportSession } from './report.js';
import { forksSection } from './forks-html.js';

/** A count with its noun, singular for exactly one ("1 checkpoint", "3 checkpoints"). */
const plural = (count: number, one: string) => `${count} ${count === 1 ? one : `${one}s`}`;

/**
 * One self-contained HTML page: inline CSS and hand-made inline SVG charts, no script, nothing loaded at view time.
 * Every chart has an id and every mark a class, so a browser test can count them.
 *
 * The charts fit any width from a phone's to a desktop's without scaling their text: heights are pixels, horizontal
 * positions are percentages of the chart's width (SVG lengths allow them), so bars stretch and 11 px labels stay
 * 11 px. Tick labels that would crowd a narrow chart carry `wide-only` and are hidden below 600 px.
 */

/** Chart height and the room above and below the plot, in pixels. */
const H = 230;
const TOP = 30;
const BOTTOM = 52;
/** Room left (y tick labels) and right of the plot, in percent of the chart's width. */
const LEFT = 9;
const RIGHT = 5;
/** Fewer bars than this are drawn this wide anyway (one bar does not fill the chart) and centred. */
const MIN_SLOTS = 6;
/** The narrowest plot each layout shows (px): the page's 600 px breakpoint, and a 360 px phone. */
const WIDE_PX = 560;
const NARROW_PX = 320;
/** Room one x tick label takes (an 11 px "MM-DD" and a gap), in px. */
const LABEL_PX = 44;
/** A timeline label longer than this is cut at a word boundary (the full text is the row's tooltip). */
const TIMELINE_LABEL_CHARS = 46;

const pct = (n: number) => `${Number(n.toFixed(3))}%`;
const px = (n: number) => Number(n.toFixed(1));
const plotBottom = H - BOTTOM;
const yOf = (v: number, top: number) => px(TOP + (plotBottom - TOP) * (1 - v / top));

/**
 * Whole-number ticks from 0 for a count whose largest value is `max`: steps of 1, 2 or 5 times a power of ten, at
 * most five of them above 0, the last one at or above `max`.
 */
export function countTicks(max: number): number[] {
  const m = Math.max(1, Math.ceil(max));
  let step = 1;
  for (let p = 1; ; p *= 10) {
    const s = [1, 2, 5].map((f) => f * p).find((c) => Math.ceil(m / c) <= 5);
    if (s !== undefined) {
      step = s;
      break;
    }
  }
  const top = step * Math.ceil(m / step);
  return Array.from({ length: top / step + 1 }, (_v, i) => i * step);
}

/**
 * A timeline label no longer than `max` characters: cut at the last space before the limit (else at a hyphen), never
 * inside a word unless one word alone is that long, and marked with "…".
 */
export function shortLabel(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const atSpace = cut.lastIndexOf(' ');
  const atHyphen = cut.lastIndexOf('-');
  const at = atSpace > max / 3 ? atSpace : atHyphen > max / 3 ? atHyphen : max - 1;
  return `${cut.slice(0, at).replace(/[\s\-–·,;:]+$/, '')}…`;
}

/** Horizontal slots for `n` marks: their width and the centre of each, in percent. */
function slots(n: number): { slot: number; center: (i: number) => number } {
  const inner = 100 - LEFT - RIGHT;
  const slot = inner / Math.max(n, MIN_SLOTS);
  const x0 = LEFT + (inner - slot * n) / 2;
  return { slot, center: (i) => x0 + slot * (i + 0.5) };
}

/** Every how many marks a tick label is drawn: on a wide chart, and on a narrow one (a multiple of the first). */
function labelSteps(n: number): { wide: number; narrow: number } {
  const slotPx = (w: number) => (w * (100 - LEFT - RIGHT)) / 100 / Math.max(n, MIN_SLOTS);
  const wide = Math.max(1, Math.ceil(LABEL_PX / slotPx(WIDE_PX)));
  return { wide, narrow: wide * Math.max(1, Math.ceil(LABEL_PX / slotPx(NARROW_PX) / wide)) };
}

interface Mark {
  /** The x tick label: one or two lines. */
  label: string[];
  title: string;
}

/** Grid lines, y tick labels, x tick labels and both axis titles of a chart with `marks.length` slots. */
function frame(ticks: number[], yTitle: string, xTitle: string, marks: Mark[]): string {
  const top = ticks.at(-1)!;
  const grid = ticks.map((t) => {
    const y = yOf(t, top);
    return `<line class="grid" x1="${pct(LEFT)}" x2="${pct(100 - RIGHT)}" y1="${y}" y2="${y}"/>`
      + `<text class="tick y-tick" x="${pct(LEFT - 1.5)}" y="${px(y + 4)}" text-anchor="end">${t}</text>`;
  });
  const { center } = slots(marks.length);
  const step = labelSteps(marks.length);
  const labels = marks.flatMap((m, i) => {
    if (i % step.wide !== 0) return [];
    const x = pct(center(i));
    const lines = m.label.map((l, k) => `<tspan x="${x}" ${k === 0 ? `y="${plotBottom + 15}"` : 'dy="13"'}>${esc(l)}</tspan>`).join('');
    return [`<text class="tick x-tick${i % step.narrow !== 0 ? ' wide-only' : ''}" text-anchor="middle">${lines}</text>`];
  });
  return `${grid.join('')}<line class="axis" x1="${pct(LEFT)}" x2="${pct(100 - RIGHT)}" y1="${plotBottom}" y2="${plotBottom}"/>${labels.join('')}`
    + `<text class="axis-label y-title" x="8" y="16">${esc(yTitle)}</text>`
    + `<text class="axis-label x-title" x="${pct(LEFT + (100 - LEFT - RIGHT) / 2)}" y="${H - 6}" text-anchor="middle">${esc(xTitle)}</text>`;
}

function svg(id: string, label: string, height: number, body: string): string {
  return `<svg id="${id}" class="chart" width="100%" height="${height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}

function figure(caption: string, body: string): string {
  return `<figure><figcaption>${caption}</figcaption>${body}</figure>`;
}

/** A day's x tick label: MM-DD (the year is in the axis title). */
const dayLabel = (date: string) => date.slice(5);
/** The years a list of dates spans, for an axis title: "2025" or "2024–2025". */
function years(dates: string[]): string {
  const ys = [...new Set(dates.map((d) => d.slice(0, 4)))].sort();
  return ys.length === 0 ? '' : ys.length === 1 ? ys[0]! : `${ys[0]}–${ys.at(-1)}`;
}
/** A session's x tick label: its day, and its number that day. */
function sessionMark(s: { id: string; date: string }, title: string): Mark {
  const n = /-session-(\d+)/.exec(s.id);
  return { label: [dayLabel(s.date), n ? `#${Number(n[1])}` : ''].filter(Boolean), title };
}

function barChart(id: string, caption: string, yTitle: string, rows: { date: string; value: number; title: string }[]): string {
  const ticks = countTicks(Math.max(0, ...rows.map((r) => r.value)));
  const top = ticks.at(-1)!;
  const { slot, center } = slots(rows.length);
  const bw = slot * 0.7;
  const bars = rows.map((r, i) => {
    const y = yOf(r.value, top);
    const zero = r.value === 0;
    return `<rect class="bar${zero ? ' zero' : ''}" x="${pct(center(i) - bw / 2)}" y="${zero ? plotBottom - 2 : y}" width="${pct(bw)}" height="${zero ? 2 : px(plotBottom - y)}"><title>${esc(r.title)}</title></rect>`;
  });
  const marks = rows.map((r) => ({ label: [dayLabel(r.date)], title: r.title }));
  return figure(esc(caption), svg(id, caption, H, `${frame(ticks, yTitle, `date (${years(rows.map((r) => r.date))})`, marks)}${bars.join('')}`));
}

function scoreChart(data: ReportData): string {
  const caption = 'RULEMAP scores over time';
  const pts = data.scores;
  if (pts.length === 0) {
    return figure(caption, '<p class="none chart-none" id="scores-none">No RULEMAP scores yet: <code>specmap end &lt;session&gt; &lt;score&gt;</code> records one.</p>');
  }
  const ticks = [0, 2, 4, 6, 8, 10];
  const { center } = slots(pts.length);
  const xy = pts.map((p, i) => ({ x: center(i), y: yOf(p.score, 10), p }));
  const segments = xy.slice(1).map((q, i) => `<line class="score-line" x1="${pct(xy[i]!.x)}" y1="${xy[i]!.y}" x2="${pct(q.x)}" y2="${q.y}"/>`);
  const dots = xy.map((q) => `<circle class="score" cx="${pct(q.x)}" cy="${q.y}" r="4.5"><title>${esc(`${q.p.id}: ${q.p.score}/10`)}</title></circle>`);
  const marks = pts.map((p) => sessionMark({ id: p.id, date: p.date }, `${p.id}: ${p.score}/10`));
  return figure(caption, svg('scores', 'RULEMAP scores', H, `${frame(ticks, 'score (0–10)', 'session (day, number that day)', marks)}${segments.join('')}${dots.join('')}`));
}

function filesChart(sessions: ReportSession[]): string {
  const caption = 'Files created and modified per session';
  if (sessions.every((s) => s.created.length + s.modified.length === 0)) {
    return figure(caption, '<p class="none chart-none" id="files-none">No created or modified files recorded yet.</p>');
  }
  const ticks = countTicks(Math.max(...sessions.map((s) => s.created.length + s.modified.length)));
  const top = ticks.at(-1)!;
  const { slot, center } = slots(sessions.length);
  const bw = slot * 0.7;
  const bars = sessions.map((s, i) => {
    const x = pct(center(i) - bw / 2);
    const yc = yOf(s.created.length, top);
    const ym = yOf(s.created.length + s.modified.length, top);
    return `<rect class="created" x="${x}" y="${yc}" width="${pct(bw)}" height="${px(plotBottom - yc)}"><title>${esc(`${s.id}: ${s.created.length} created`)}</title></rect>`
      + `<rect class="modified" x="${x}" y="${ym}" width="${pct(bw)}" height="${px(yc - ym)}"><title>${esc(`${s.id}: ${s.modified.length} modified`)}</title></rect>`;
  });
  const marks = sessions.map((s) => sessionMark(s, s.id));
  const legend = `${esc(caption)} <span class="legend"><i class="swatch created"></i>created <i class="swatch modified"></i>modified</span>`;
  return figure(legend, svg('files', 'files per session', H, `${frame(ticks, 'files', 'session (day, number that day)', marks)}${bars.join('')}`));
}

/** Minutes since midnight of "HH:MM[:SS]", or undefined. */
function minuteOf(t: string | null): number | undefined {
  const m = t ? /^(\d{1,2}):(\d{2})/.exec(t) : null;
  return m ? Math.min(24 * 60, Number(m[1]) * 60 + Number(m[2])) : undefined;
}

function timeline(sessions: ReportSession[]): string {
  const row = 40;
  const top = 26;
  const h = top + sessions.length * row + 42;
  const L = 1.5;
  const R = 1.5;
  const x = (min: number) => L + ((100 - L - R) * min) / (24 * 60);
  const rows = sessions.map((s, i) => {
    const y = top + i * row;
    const start = minuteOf(s.startTime) ?? 0;
    const lastCheckpoint = Math.max(start, ...s.checkpoints.map((c) => minuteOf(c.time) ?? start));
    let end = minuteOf(s.endTime) ?? lastCheckpoint;
    if (end < start) end = 24 * 60; // ended after midnight
    const full = `${s.date} ${s.startTime.slice(0, 5)}–${s.endTime ? s.endTime.slice(0, 5) : 'now'} · ${s.focus}`;
    const label = shortLabel(`${dayLabel(s.date)} ${s.startTime.slice(0, 5)}–${s.endTime ? s.endTime.slice(0, 5) : 'now'} · ${s.focus}`, TIMELINE_LABEL_CHARS);
    const span = `<rect class="span${s.endTime ? '' : ' active'}" x="${pct(x(start))}" y="${y + 19}" width="${pct(Math.max(0.4, x(end) - x(start)))}" height="6" rx="3"/>`;
    const dots = s.checkpoints.map((c) => `<circle class="checkpoint" cx="${pct(x(minuteOf(c.time) ?? start))}" cy="${y + 22}" r="5"><title>${esc(`${c.id}: ${c.description}`)}</title></circle>`);
    return `<g class="row"><title>${esc(`${s.id}: ${full}`)}</title><text class="tick row-label" x="${pct(L)}" y="${y + 12}">${esc(label)}</text>${span}${dots.join('')}</g>`;
  });
  const axisY = top + sessions.length * row + 4;
  const hours = [0, 6, 12, 18, 24].map((hr, k, all) => {
    const anchor = k === 0 ? 'start' : k === all.length - 1 ? 'end' : 'middle';
    return `<line class="grid hour" x1="${pct(x(hr * 60))}" x2="${pct(x(hr * 60))}" y1="${top}" y2="${axisY}"/>`
      + `<text class="tick x-tick" x="${pct(x(hr * 60))}" y="${axisY + 15}" text-anchor="${anchor}">${String(hr).padStart(2, '0')}:00</text>`;
  });
  const titles = `<text class="axis-label y-title" x="8" y="16">session (day, start–end, focus)</text>`
    + `<text class="axis-label x-title" x="50%" y="${h - 6}" text-anchor="middle">time of day</text>`;
  const legend = 'Sessions and checkpoints by time of day <span class="legend"><i class="swatch span"></i>session <i class="swatch checkpoint"></i>checkpoint</span>';
  return figure(legend, svg('timeline', 'checkpoint timeline', h, `${hours.join('')}${rows.join('')}${titles}`));
}

function drillDown(s: ReportSession): string {
  const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul>` : '<p class="none">none</p>');
  const summary = renderMarkdown(s.summary);
  return `<details class="session" id="session-${esc(s.id)}"><summary><strong>${esc(s.id)}</strong> — ${esc(s.focus)} <span class="meta">${esc(s.status)}, ${s.durationMinutes} min, ${plural(s.checkpoints.length, 'checkpoint')}${s.rulemapScore !== null ? `, RULEMAP ${s.rulemapScore}/10` : ''}</span></summary>`
    + `<p class="meta">${esc(s.date)} ${esc(s.startTime)}–${esc(s.endTime ?? '…')} · ${esc(s.agent)}${s.user ? ` · ${esc(s.user)}` : ''}</p>`
    + `<h3>Checkpoints</h3>${s.checkpoints.length ? `<ol>${s.checkpoints.map((c) => `<li><code>${esc(c.id)}</code> ${esc(c.description)} (${plural(c.files, 'file')})</li>`).join('')}</ol>` : '<p class="none">none</p>'}`
    + `<h3>Created</h3>${list(s.created)}<h3>Modified</h3>${list(s.modified)}`
    + `<h3>Summary</h3>${summary ? `<div class="summary markdown">${summary}</div>` : '<p class="none">No summary written.</p>'}</details>`;
}

function emptyState(data: ReportData): string {
  const what = data.since ? `No sessions since ${esc(data.since)}.` : 'No sessions yet.';
  return `<section id="empty-state"><h2>${what}</h2><p>Start one with <code>specmap start "what you are working on"</code>; `
    + 'its checkpoints, files and score show up here the next time you run <code>specmap report</code>.</p></section>';
}

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:860px;color:#1b1f24;padding:0 16px;overflow-wrap:anywhere}
h1{font-size:22px;margin-bottom:4px} h2{font-size:18px;margin:28px 0 8px} h3{font-size:14px;margin:14px 0 4px}
.meta,.none{color:#57606a} figure{margin:22px 0} figcaption{font-weight:600;margin-bottom:6px}
svg.chart{display:block;background:#f6f8fa;border-radius:6px}
text{font-size:11px;fill:#57606a} .axis-label{font-weight:600;fill:#1b1f24} .row-label{fill:#1b1f24}
.grid{stroke:#d0d7de;stroke-width:1} .grid.hour{stroke-dasharray:3 3} .axis{stroke:#8c959f;stroke-width:1}
.bar{fill:#0969da} .bar.zero{fill:#8c959f} .created{fill:#1a7f37} .modified{fill:#a7e3b4}
.score{fill:#bf3989} .score-line{stroke:#bf3989;stroke-width:2} .span{fill:#8c959f} .span.active{fill:#0969da} .checkpoint{fill:#cf222e}
.legend{font-weight:400;color:#57606a;margin-left:8px;white-space:nowrap} .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 8px;vertical-align:-1px}
.swatch.created{background:#1a7f37} .swatch.modified{background:#a7e3b4} .swatch.span{background:#8c959f} .swatch.checkpoint{background:#cf222e;border-radius:50%}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
#top-files td:not(:first-child),#top-files th:not(:first-child){text-align:right;width:1%;white-space:nowrap;overflow-wrap:normal}
table.forks tbody th{font-weight:400;color:#57606a;white-space:nowrap;width:1%} .fork-diffs{margin-top:6px}
details.session{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0}
.markdown{border-left:3px solid #d0d7de;padding-left:12px} .markdown h3,.markdown h4,.markdown h5,.markdown h6{font-size:14px;margin:12px 0 4px}
.markdown h3{font-size:15px} .markdown pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre} .markdown .table{overflow-x:auto}
.markdown blockquote{margin:8px 0;padding-left:10px;border-left:3px solid #d0d7de;color:#57606a} code{font-size:12.5px}
.cards{display:flex;gap:12px;flex-wrap:wrap} .card{flex:1 1 120px;background:#f6f8fa;border-radius:6px;padding:10px} .card b{display:block;font-size:20px}
#empty-state{background:#f6f8fa;border-radius:6px;padding:16px 20px;margin:24px 0} #empty-state h2{margin-top:0}
@media (max-width:600px){body{margin:12px auto;padding:0 10px} .wide-only{display:none} .legend{display:block;margin-left:0}}
`;

export function renderReportHtml(data: ReportData, project: string): string {
  const totalMin = data.sessions.reduce((n, s) => n + s.durationMinutes, 0);
  let body: string;
  if (data.sessions.length === 0) {
    body = emptyState(data);
  } else {
    const perDay = barChart('sessions-per-day', 'Sessions per day', 'sessions', data.perDay.map((d) => ({
      date: d.date, value: d.sessions, title: d.sessions === 0 ? `${d.date}: no sessions` : `${d.date}: ${plural(d.sessions, 'session')}, ${plural(d.minutes, 'minute')}`,
    })));
    const minutes = barChart('minutes-per-day', 'Minutes per day', 'minutes', data.perDay.map((d) => ({
      date: d.date, value: d.minutes, title: `${d.date}: ${plural(d.minutes, 'minute')}`,
    })));
    const top = data.topFiles.length
      ? `<table id="top-files"><thead><tr><th>file</th><th>sessions</th><th>checkpoints</th></tr></thead><tbody>${data.topFiles.map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${f.sessions}</td><td>${f.checkpoints}</td></tr>`).join('')}</tbody></table>`
      : '<p class="none" id="top-files">No project files touched yet.</p>';
    body = `<div class="cards"><div class="card"><b id="total-sessions">${data.sessions.length}</b>sessions</div><div class="card"><b>${totalMin}</b>minutes</div><div class="card"><b>${data.sessions.reduce((n, s) => n + s.checkpoints.length, 0)}</b>checkpoints</div></div>
${perDay}
${minutes}
${scoreChart(data)}
${filesChart(data.sessions)}
${timeline(data.sessions)}
<h2>Most-touched files</h2>
${top}
${forksSection(data)}
<h2>Sessions</h2>
${data.sessions.map(drillDown).join('\n')}`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>specmap report — ${esc(project)}</title>
<style>${CSS}</style></head><body>
<h1>specmap report</h1>
<p class="meta">${esc(project)} · generated ${esc(data.generatedAt)}${data.since ? ` · since ${esc(data.since)}` : ''}</p>
${body}
</body></html>
`;
}
