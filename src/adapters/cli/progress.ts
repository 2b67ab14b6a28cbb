import type { Progress, ProgressFn, ProgressPhase } from '../../shared/progress.js';
import { settings } from '../../shared/settings.js';
import { humanBytes } from './units.js';

const PHASE: Record<ProgressPhase, string> = {
  snapshot: 'snapshotting',
  archive: 'archiving',
  hash: 'checking',
  verify: 'verifying',
  check: 'checking',
  extract: 'extracting',
  stage: 'reading checkpoint',
  zip: 'zipping',
  record: 'recording',
  restore: 'restoring',
  scan: 'looking for secrets',
  push: 'push',
  fetch: 'fetch',
  upload: 'uploading',
  download: 'downloading',
};

/** What each phase counts (git's steps name their own: objects, deltas). */
const UNIT: Partial<Record<ProgressPhase, [string, string]>> = { upload: ['backup', 'backups'], download: ['backup', 'backups'] };

const REDRAW_MS = 100;

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s));
  return t < 60 ? `${t}s` : t < 3600 ? `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s` : `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
};
const num = (n: number) => n.toLocaleString('en');

/**
 * One progress line that fits in `columns - 1` (so the terminal never wraps it and `\r` redraws it in place):
 * phase, bar and percent, count, bytes, rate and ETA where known, the least useful parts dropped first when the
 * terminal is narrow. ASCII only, so its length is its width.
 */
export function progressText(p: Progress, elapsedMs: number, columns: number): string {
  const width = Math.max(20, columns) - 1;
  const seconds = elapsedMs / 1000;
  const label = p.step ? `${PHASE[p.phase]}: ${p.step}` : PHASE[p.phase];
  const frac = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : p.totalFiles > 0 ? Math.min(1, p.files / p.totalFiles) : undefined;
  const [one, many] = p.step ? ['', ''] : UNIT[p.phase] ?? ['file', 'files'];
  const noun = p.files === 1 && p.totalFiles <= 1 ? one : many;
  const count = p.files > 0 || p.totalFiles > 0
    ? `${p.totalFiles > 0 ? `${num(p.files)}/${num(p.totalFiles)}` : num(p.files)}${noun ? ` ${noun}` : ''}`
    : undefined;
  const bytes = p.bytes > 0 ? (p.totalBytes > 0 ? `${humanBytes(p.bytes)}/${humanBytes(p.totalBytes)}` : humanBytes(p.bytes)) : undefined;
  const rateOf = (n: number) => (seconds >= 1 && n > 0 ? n / seconds : undefined);
  const byteRate = rateOf(p.bytes);
  const fileRate = rateOf(p.files);
  const rate = byteRate !== undefined ? `${humanBytes(byteRate)}/s` : fileRate !== undefined && many ? `${num(Math.round(fileRate))} ${many}/s` : undefined;
  let eta: string | undefined;
  if (frac !== undefined && frac > 0.01 && frac < 1 && seconds >= 1) eta = `ETA ${clock(seconds / frac - seconds)}`;
  const elapsed = eta === undefined && seconds >= 1 ? clock(seconds) : undefined;
  const percent = frac !== undefined ? `${Math.floor(frac * 100)}%` : undefined;
  // Parts in the order shown, each with the rank at which it is dropped (lowest first) when the line is too wide.
  const parts: { text: string | undefined; drop: number }[] = [
    { text: percent, drop: 7 },
    { text: count, drop: 5 },
    { text: bytes, drop: 4 },
    { text: rate, drop: 2 },
    { text: eta ?? elapsed, drop: 6 },
  ];
  const head = `${label}${frac === undefined && !count && !bytes ? '...' : ''}`;
  const compose = (keep: typeof parts, bar?: string) => [head, ...(bar ? [bar] : []), ...keep.flatMap((x) => (x.text === undefined ? [] : [x.text]))].join('  ');
  let keep = parts;
  for (let rank = 2; rank <= 7 && compose(keep).length > width; rank++) keep = keep.filter((x) => x.drop !== rank);
  // The bar's width follows the terminal's alone (so it does not jump as the numbers change); it goes when the
  // line has no room for it.
  const barWidth = width < 99 ? 12 : width < 139 ? 20 : 30;
  const fits = frac !== undefined && compose(keep).length + 2 + barWidth <= width;
  const bar = fits ? `[${'#'.repeat(Math.round(frac * (barWidth - 2))).padEnd(barWidth - 2, '-')}]` : undefined;
  const line = compose(keep, bar);
  return line.length <= width ? line : `${line.slice(0, width - 3)}...`;
}

export interface ProgressLine {
  /** Hand this to the api's `onProgress`: it redraws the line (at most ten times a second). */
  onProgress: ProgressFn | undefined;
  /** Erases the line (before anything else is printed); the next report draws it again. */
  clear(): void;
  /** Erases the line for good. */
  done(): void;
}

const NONE: ProgressLine = { onProgress: undefined, clear: () => {}, done: () => {} };

/**
 * A progress line on stderr, redrawn in place with `\r` and never wider than the terminal. Only on a terminal,
 * and only when the caller allows it (the CLI: not under --json, --quiet or CI). It first appears once the
 * command has run SPECMAP_PROGRESS_AFTER_MS (0.3 s: a quick one never draws); a phase with nothing to count shows
 * the time it has taken.
 */
export function progressLine(enabled: boolean, first?: ProgressPhase): ProgressLine {
  const err = process.stderr;
  if (!enabled || !err.isTTY) return NONE;
  const begun = Date.now();
  const after = settings().progressAfterMs;
  let state: Progress | undefined = first ? { phase: first, files: 0, totalFiles: 0, bytes: 0, totalBytes: 0 } : undefined;
  let phaseStart = begun;
  let last = 0;
  let shown = false;
  let finished = false;
  const draw = (force: boolean) => {
    const t = Date.now();
    if (finished || !state || t - begun < after || (!force && t - last < REDRAW_MS)) return;
    last = t;
    shown = true;
    err.write(`\r${progressText(state, t - phaseStart, err.columns || 80)}\u001b[K`);
  };
  // A phase git or the disk is busy in sends nothing for a while: the clock still moves.
  const timer = setInterval(() => draw(false), 500);
  timer.unref();
  const onProgress: ProgressFn = (p) => {
    const changed = !state || state.phase !== p.phase || state.step !== p.step;
    if (changed) phaseStart = Date.now();
    state = p;
    draw(changed);
  };
  const clear = () => {
    if (shown) err.write('\r\u001b[K');
    shown = false;
  };
  return {
    onProgress,
    clear,
    done: () => {
      clear();
      finished = true;
      clearInterval(timer);
    },
  };
}
