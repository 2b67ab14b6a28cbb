import { existsSync, readFileSync } from 'node:fs';
import { ioError } from '../../shared/errors.js';
import { SUMMARIES_DIR, TRACKING_FILE, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { SessionDoc } from './session-file.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

/** Facts about an ended session that the project-level logs record. */
export interface EndedSession {
  doc: SessionDoc;
  archiveDir: string;
  backup?: string;
}

function readIfExists(root: string, rel: string): string {
  const path = abs(root, rel);
  if (!existsSync(path)) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw ioError('read', rel, err);
  }
}

/**
 * Replaces the block between `begin` and `end` markers, or appends it. Re-running for the same session updates its
 * block instead of adding a second one, and text outside our markers is never touched.
 */
export function upsertBlock(text: string, begin: string, end: string, block: string): string {
  const i = text.indexOf(begin);
  const j = i >= 0 ? text.indexOf(end, i) : -1;
  if (i >= 0 && j >= 0) return text.slice(0, i) + block + text.slice(j + end.length);
  return appendParagraph(text, block);
}

/** Appends `block` as its own paragraph (one blank line before it, a newline after). */
function appendParagraph(text: string, block: string): string {
  const sep = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${sep}${block}\n`;
}

const fmtScore = (s: number | null) => (s === null ? '—' : `${s}/10`);

/** The day summary file of sessions started on `date`. */
export const daySummaryRel = (date: string) => `${SUMMARIES_DIR}/${date}.md`;

/** Appends (or updates) the session's entry in 04-agents/session-summaries/<date>.md. Returns that file. */
export function writeDailySummary(root: string, e: EndedSession): string {
  const s = e.doc.session;
  const m = e.doc.metrics;
  const rel = daySummaryRel(s.date);
  const begin = `<!-- specmap:session ${s.id} -->`;
  const end = `<!-- /specmap:session ${s.id} -->`;
  const lines = [
    begin,
    `## ${s.id}`,
    '',
    `- Focus: ${s.focus}`,
    `- Agent: ${s.agent}`,
    `- Time: ${s.start_time} – ${s.end_time ?? '?'} (${m.duration_minutes ?? 0} minutes)`,
    `- Files created: ${m.files_created ?? 0}, modified: ${m.files_modified ?? 0}, checkpoints: ${m.checkpoints ?? 0}`,
    `- RULEMAP score: ${fmtScore(e.doc.rulemap_score)}`,
    `- Workspace: ${e.archiveDir}/ (summary: ${e.archiveDir}/summary.md)`,
    ...(e.backup ? [`- Backup: ${e.backup}`] : []),
    end,
  ];
  let text = readIfExists(root, rel);
  if (text.length === 0) text = `# Session summaries: ${s.date}\n`;
  writeFileAtomic(insideProject(root, rel), upsertBlock(text, begin, end, lines.join('\n')));
  return rel;
}

const TABLE_BEGIN = '<!-- specmap:sessions:begin -->';
const TABLE_END = '<!-- specmap:sessions:end -->';
const HEADER = [
  '| Session | Date | Focus | Agent | Duration (min) | Created | Modified | Checkpoints | RULEMAP |',
  '|---|---|---|---|---|---|---|---|---|',
];

const cell = (v: string) => v.replace(/\|/g, '\\|');

/** Adds (or updates) the session's row in the sessions table of TRACKING.md at the project root. */
export function updateTrackingTable(root: string, e: EndedSession): string {
  const s = e.doc.session;
  const m = e.doc.metrics;
  const row = `| ${cell(s.id)} | ${s.date} | ${cell(s.focus)} | ${cell(s.agent)} | ${m.duration_minutes ?? 0} | ${m.files_created ?? 0} | ${m.files_modified ?? 0} | ${m.checkpoints ?? 0} | ${fmtScore(e.doc.rulemap_score)} |`;
  let text = readIfExists(root, TRACKING_FILE);
  if (text.length === 0) text = '# Tracking\n\n## Sessions\n';
  else if (!text.includes(TABLE_BEGIN)) text = appendParagraph(text, '## Sessions');
  const i = text.indexOf(TABLE_BEGIN);
  const j = i >= 0 ? text.indexOf(TABLE_END, i) : -1;
  const existing = i >= 0 && j >= 0 ? text.slice(i + TABLE_BEGIN.length, j).split('\n') : [];
  const rows = existing.filter((l) => l.startsWith('| ') && !HEADER.includes(l) && !l.startsWith(`| ${cell(s.id)} |`));
  rows.push(row);
  const block = [TABLE_BEGIN, ...HEADER, ...rows, TABLE_END].join('\n');
  writeFileAtomic(insideProject(root, TRACKING_FILE), upsertBlock(text, TABLE_BEGIN, TABLE_END, block));
  return TRACKING_FILE;
}

/** Whether `end` finished writing the session's day-summary block and TRACKING.md row. */
export function summariesPresent(root: string, doc: SessionDoc): boolean {
  const s = doc.session;
  const day = readIfExists(root, daySummaryRel(s.date));
  const tracking = readIfExists(root, TRACKING_FILE);
  return day.includes(`<!-- specmap:session ${s.id} -->`) && tracking.includes(`| ${cell(s.id)} |`);
}
