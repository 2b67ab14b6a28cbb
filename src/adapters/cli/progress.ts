import type { BackupProgress, ProgressFn } from '../../api/backup-progress.js';
import { settings } from '../../shared/settings.js';

const PHASE: Record<BackupProgress['phase'], string> = {
  snapshot: 'snapshotting',
  archive: 'archiving',
  hash: 'checking',
  verify: 'verifying',
};

function size(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A one-line progress bar on stderr (files, bytes, ETA), redrawn at most ten times a second. Only on a terminal,
 * never under --json or in CI, so logs and pipes stay clean.
 */
export function progressBar(json: boolean): { onProgress?: ProgressFn; done: () => void } {
  if (json || !process.stderr.isTTY || settings().ci) return { onProgress: undefined, done: () => {} };
  let last = 0;
  let shown = false;
  const started = Date.now();
  const onProgress: ProgressFn = (p) => {
    const t = Date.now();
    if (t - last < 100 && p.bytes < p.totalBytes) return;
    last = t;
    shown = true;
    if (p.totalBytes === 0) {
      process.stderr.write(`\r\u001b[K${PHASE[p.phase]}…`);
      return;
    }
    const frac = Math.min(1, p.bytes / p.totalBytes);
    const width = 24;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const elapsed = (t - started) / 1000;
    const eta = frac > 0.02 ? Math.max(0, elapsed / frac - elapsed) : undefined;
    process.stderr.write(
      `\r\u001b[K${PHASE[p.phase]} ${bar} ${(frac * 100).toFixed(0)}%  ${p.files}/${p.totalFiles} files  ${size(p.bytes)}/${size(p.totalBytes)}${eta !== undefined ? `  ETA ${eta.toFixed(0)}s` : ''}`,
    );
  };
  return { onProgress, done: () => { if (shown) process.stderr.write('\r\u001b[K'); } };
}
