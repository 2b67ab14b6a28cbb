import type { ReportData, ReportSession } from './report.js';

/**
 * One self-contained HTML page: inline CSS and hand-made inline SVG charts, no scripts fetched, nothing loaded at
 * view time. Every chart has an id and every mark a class, so a browser test can count them.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 720;
const H = 220;
const PAD = { l: 44, r: 12, t: 24, b: 40 };

function axes(max: number, label: string): string {
  const ticks = [0, 0.5, 1].map((f) => {
    const y = PAD.t + (H - PAD.t - PAD.b) * (1 - f);
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" class="grid"/><text x="${PAD.l - 6}" y="${y + 4}" text-anchor="end">${Math.round(max * f * 10) / 10}</text>`;
  });
  return `${ticks.join('')}<text x="${PAD.l}" y="14" class="axis-label">${esc(label)}</text>`;
}

function barChart(id: string, title: string, rows: { label: string; value: number; title: string }[], unit: string): string {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const inner = W - PAD.l - PAD.r;
  const bw = rows.length === 0 ? 0 : Math.min(48, inner / rows.length - 6);
  const bars = rows.map((r, i) => {
    const h = ((H - PAD.t - PAD.b) * r.value) / max;
    const x = PAD.l + (inner / rows.length) * i + 3;
    const y = H - PAD.b - h;
    return `<g><rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(r.title)}</title></rect>`
      + `<text x="${(x + bw / 2).toFixed(1)}" y="${H - PAD.b + 14}" text-anchor="middle" class="tick">${esc(r.label)}</text></g>`;
  });
  return `<figure><figcaption>${esc(title)}</figcaption><svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${axes(max, unit)}${bars.join('')}</svg></figure>`;
}

function scoreChart(data: ReportData): string {
  const pts = data.scores;
  const inner = W - PAD.l - PAD.r;
  const xy = pts.map((p, i) => ({
    x: PAD.l + (pts.length === 1 ? inner / 2 : (inner * i) / (pts.length - 1)),
    y: PAD.t + (H - PAD.t - PAD.b) * (1 - p.score / 10),
    p,
  }));
  const line = xy.length > 1 ? `<polyline class="score-line" points="${xy.map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(' ')}"/>` : '';
  const dots = xy.map((q) => `<circle class="score" cx="${q.x.toFixed(1)}" cy="${q.y.toFixed(1)}" r="4"><title>${esc(`${q.p.id}: ${q.p.score}/10`)}</title></circle>`);
  return `<figure><figcaption>RULEMAP scores over time</figcaption><svg id="scores" viewBox="0 0 ${W} ${H}" role="img" aria-label="RULEMAP scores">${axes(10, 'score')}${line}${dots.join('')}</svg></figure>`;
}

function filesChart(sessions: ReportSession[]): string {
  const max = Math.max(1, ...sessions.map((s) => s.created.length + s.modified.length));
  const inner = W - PAD.l - PAD.r;
  const bw = sessions.length === 0 ? 0 : Math.min(40, inner / sessions.length - 6);
  const bars = sessions.map((s, i) => {
    const x = PAD.l + (inner / sessions.length) * i + 3;
    const hc = ((H - PAD.t - PAD.b) * s.created.length) / max;
    const hm = ((H - PAD.t - PAD.b) * s.modified.length) / max;
    return `<rect class="created" x="${x.toFixed(1)}" y="${(H - PAD.b - hc).toFixed(1)}" width="${bw.toFixed(1)}" height="${hc.toFixed(1)}"><title>${esc(`${s.id}: ${s.created.length} created`)}</title></rect>`
      + `<rect class="modified" x="${x.toFixed(1)}" y="${(H - PAD.b - hc - hm).toFixed(1)}" width="${bw.toFixed(1)}" height="${hm.toFixed(1)}"><title>${esc(`${s.id}: ${s.modified.length} modified`)}</title></rect>`;
  });
  return `<figure><figcaption>Files created (dark) and modified (light) per session</figcaption><svg id="files" viewBox="0 0 ${W} ${H}" role="img" aria-label="files per session">${axes(max, 'files')}${bars.join('')}</svg></figure>`;
}

function timeline(sessions: ReportSession[]): string {
  const row = 26;
  const h = Math.max(60, sessions.length * row + 30);
  const x = (t: string) => {
    const [hh, mm] = t.split(':').map(Number);
    return 200 + ((W - 212) * ((hh ?? 0) * 60 + (mm ?? 0))) / (24 * 60);
  };
  const rows = sessions.map((s, i) => {
    const y = 20 + i * row;
    const span = `<line class="span" x1="${x(s.startTime).toFixed(1)}" x2="${x(s.endTime ?? s.startTime).toFixed(1)}" y1="${y}" y2="${y}"/>`;
    const dots = s.checkpoints.map((c) => `<circle class="checkpoint" cx="${x(c.time).toFixed(1)}" cy="${y}" r="5"><title>${esc(`${c.id}: ${c.description}`)}</title></circle>`);
    return `<text x="4" y="${y + 4}" class="tick">${esc(s.id.slice(0, 30))}</text>${span}${dots.join('')}`;
  });
  const hours = [0, 6, 12, 18, 24].map((hr) => `<text x="${(200 + ((W - 212) * hr) / 24).toFixed(1)}" y="${h - 4}" class="tick" text-anchor="middle">${String(hr).padStart(2, '0')}:00</text>`);
  return `<figure><figcaption>Checkpoints per session, by time of day</figcaption><svg id="timeline" viewBox="0 0 ${W} ${h}" role="img" aria-label="checkpoint timeline">${rows.join('')}${hours.join('')}</svg></figure>`;
}

function drillDown(s: ReportSession): string {
  const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul>` : '<p class="none">none</p>');
  return `<details class="session" id="session-${esc(s.id)}"><summary><strong>${esc(s.id)}</strong> — ${esc(s.focus)} <span class="meta">${esc(s.status)}, ${s.durationMinutes} min, ${s.checkpoints.length} checkpoints${s.rulemapScore !== null ? `, RULEMAP ${s.rulemapScore}/10` : ''}</span></summary>`
    + `<p class="meta">${esc(s.date)} ${esc(s.startTime)}–${esc(s.endTime ?? '…')} · ${esc(s.agent)}${s.user ? ` · ${esc(s.user)}` : ''}</p>`
    + `<h4>Checkpoints</h4>${s.checkpoints.length ? `<ol>${s.checkpoints.map((c) => `<li><code>${esc(c.id)}</code> ${esc(c.description)} (${c.files} files)</li>`).join('')}</ol>` : '<p class="none">none</p>'}`
    + `<h4>Created</h4>${list(s.created)}<h4>Modified</h4>${list(s.modified)}`
    + `<h4>Summary</h4><pre class="summary">${esc(s.summary)}</pre></details>`;
}

export function renderReportHtml(data: ReportData, project: string): string {
  const totalMin = data.sessions.reduce((n, s) => n + s.durationMinutes, 0);
  const perDay = barChart('sessions-per-day', 'Sessions per day', data.perDay.map((d) => ({ label: d.date.slice(5), value: d.sessions, title: `${d.date}: ${d.sessions} sessions, ${d.minutes} minutes` })), 'sessions');
  const minutes = barChart('minutes-per-day', 'Minutes per day', data.perDay.map((d) => ({ label: d.date.slice(5), value: d.minutes, title: `${d.date}: ${d.minutes} minutes` })), 'minutes');
  const top = data.topFiles.length
    ? `<table id="top-files"><thead><tr><th>file</th><th>sessions</th><th>checkpoints</th></tr></thead><tbody>${data.topFiles.map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${f.sessions}</td><td>${f.checkpoints}</td></tr>`).join('')}</tbody></table>`
    : '<p class="none" id="top-files">No files touched yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>specmap report — ${esc(project)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:820px;color:#1b1f24;padding:0 16px}
h1{font-size:22px;margin-bottom:4px} .meta,.none{color:#57606a} figure{margin:20px 0} figcaption{font-weight:600;margin-bottom:6px}
svg{width:100%;height:auto;background:#f6f8fa;border-radius:6px} text{font-size:11px;fill:#57606a} .axis-label{font-weight:600}
.grid{stroke:#d0d7de;stroke-width:1} .bar{fill:#0969da} .created{fill:#1a7f37} .modified{fill:#a7e3b4}
.score{fill:#bf3989} .score-line{fill:none;stroke:#bf3989;stroke-width:2} .span{stroke:#8c959f;stroke-width:3} .checkpoint{fill:#cf222e}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left}
details.session{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0} pre.summary{white-space:pre-wrap;background:#f6f8fa;padding:8px}
.cards{display:flex;gap:12px} .card{flex:1;background:#f6f8fa;border-radius:6px;padding:10px} .card b{display:block;font-size:20px}
</style></head><body>
<h1>specmap report</h1>
<p class="meta">${esc(project)} · generated ${esc(data.generatedAt)}${data.since ? ` · since ${esc(data.since)}` : ''}</p>
<div class="cards"><div class="card"><b id="total-sessions">${data.sessions.length}</b>sessions</div><div class="card"><b>${totalMin}</b>minutes</div><div class="card"><b>${data.sessions.reduce((n, s) => n + s.checkpoints.length, 0)}</b>checkpoints</div></div>
${perDay}
${minutes}
${scoreChart(data)}
${filesChart(data.sessions)}
${timeline(data.sessions)}
<h2>Most-touched files</h2>
${top}
<h2>Sessions</h2>
${data.sessions.map(drillDown).join('\n') || '<p class="none">No sessions yet.</p>'}
</body></html>
`;
}
