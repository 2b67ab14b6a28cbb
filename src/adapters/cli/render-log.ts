import type { LogEntry } from '../../api/log.js';
import { localStamp } from './units.js';

const yellow = (s: string, color: boolean) => (color ? `\u001b[33m${s}\u001b[m` : s);

const SOURCE_NOTE: Record<LogEntry['source'], string> = {
  git: '',
  copies: ' (no git commit: files kept as copies in snapshots/)',
  zip: ' (git objects gone: files are read from the session ZIP)',
  none: ' (no git commit and no copies: files cannot be restored)',
};

export function renderOneline(e: LogEntry, withSession: boolean, color: boolean): string {
  const short = e.commit && e.in_git ? e.commit.slice(0, 7) : '-------';
  const name = withSession ? `${e.session_id}:${e.checkpoint_id}` : e.checkpoint_id;
  return `${yellow(short, color)} ${name} ${e.description.split('\n')[0]}`;
}

/** A checkpoint the way `git log` shows a commit, with the session facts as headers. */
export function renderEntry(e: LogEntry, color: boolean): string {
  const lines = [yellow(`checkpoint ${e.checkpoint_id}${e.commit ? ` (commit ${e.commit})` : ''}`, color) + SOURCE_NOTE[e.source]];
  lines.push(`Session: ${e.session_id}`, `Agent:   ${e.agent}`, `Date:    ${localStamp(e.date, e.time)}`, '');
  for (const l of e.description.split('\n')) lines.push(`    ${l}`);
  lines.push('');
  if (e.stat) lines.push(e.stat.trimEnd(), '');
  if (e.patch) lines.push(e.patch.trimEnd(), '');
  if (!e.stat && !e.patch && e.files.length > 0) {
    lines.push(`Files (${e.files.length}):`, ...e.files.map((f) => `    ${f}`), '');
  }
  return lines.join('\n');
}

export function renderLog(entries: LogEntry[], opts: { oneline?: boolean; all?: boolean }, color: boolean): string {
  if (entries.length === 0) return 'No checkpoints yet.';
  if (opts.oneline) return entries.map((e) => renderOneline(e, Boolean(opts.all), color)).join('\n');
  return entries.map((e) => renderEntry(e, color)).join('\n').trimEnd();
}
