import { esc } from './markdown.js';
import type { ReportData } from './report.js';

/** The part of an id after its day: `session-002-auth`. */
const shortId = (id: string) => id.replace(/^\d{4}-\d{2}-\d{2}-/, '');

/**
 * Each family of forks as `specmap compare` shows it: one table, a column per session (the parent first), a row per
 * figure, then the difference between every pair of final states. No chart: nothing here is a quantity over time.
 */
export function forksSection(data: ReportData): string {
  const families = data.forks ?? [];
  if (families.length === 0) return '';
  const tables = families.map((f) => {
    const s = f.compared.sessions;
    const row = (label: string, cell: (x: (typeof s)[number]) => string) => `<tr><th>${esc(label)}</th>${s.map((x) => `<td>${cell(x)}</td>`).join('')}</tr>`;
    const body = [
      row('forked at', (x) => (x.forkedFrom ? `<code>${esc(x.forkedFrom.checkpoint)}</code>` : 'parent')),
      row('status', (x) => esc(x.status)),
      row('agent', (x) => esc(x.agent)),
      row('checkpoints', (x) => String(x.checkpoints)),
      row('files touched', (x) => String(x.files.length)),
      row('lines', (x) => `+${x.linesAdded} −${x.linesRemoved}`),
      row('RULEMAP', (x) => (x.rulemapScore === null ? '–' : `${x.rulemapScore}/10`)),
      row('duration', (x) => `${x.durationMinutes} min`),
    ].join('');
    const diffs = f.compared.diffs.map((d) => `<li><code>${esc(shortId(d.from))}</code> → <code>${esc(shortId(d.to))}</code>: `
      + (d.files.length === 0 ? 'identical final states' : `${d.files.length} file(s) differ, +${d.linesAdded} −${d.linesRemoved}`) + '</li>').join('');
    return `<h3>From <code>${esc(f.parent)}</code></h3><table class="forks" id="forks-${esc(f.parent)}"><thead><tr><th></th>${s.map((x) => `<th title="${esc(x.worktree)}"><code>${esc(shortId(x.id))}</code></th>`).join('')}</tr></thead><tbody>${body}</tbody></table><ul class="fork-diffs">${diffs}</ul>`;
  });
  return `<h2>Forks compared</h2>\n${tables.join('\n')}`;
}
