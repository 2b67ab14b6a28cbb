import { spawn } from 'node:child_process';
import { settings } from '../../shared/settings.js';

/**
 * Shows `text` through the pager `command` (run by the shell, as git runs core.pager), with git's defaults for less
 * and lv when the user has set none (LESS=FRX: quit when it fits one screen, keep colours, leave the screen as it is;
 * LV=-c). Resolves when the pager has exited; Ctrl-C is the pager's while it runs. A pager that cannot be started
 * prints a warning and the text goes to stdout as it is.
 */
export function page(command: string, text: string): Promise<void> {
  const s = settings();
  const env = { ...process.env, LESS: s.less ?? 'FRX', LV: s.lv ?? '-c' };
  const ignore = () => {};
  process.on('SIGINT', ignore);
  return new Promise<void>((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env });
    const fallback = (why: string) => {
      process.stderr.write(`specmap: warning: cannot run the pager ${JSON.stringify(command)} (${why}); printing instead (--no-pager)\n`);
      process.stdout.write(text);
    };
    let started = true;
    child.on('error', (e) => {
      started = false;
      process.off('SIGINT', ignore);
      fallback(e.message);
      resolve();
    });
    // The pager may quit (q) before it read everything.
    child.stdin.on('error', () => {});
    child.stdin.end(text);
    child.on('close', (code) => {
      process.off('SIGINT', ignore);
      // 127: the shell found no such command.
      if (started && code === 127) fallback('command not found');
      resolve();
    });
  });
}
