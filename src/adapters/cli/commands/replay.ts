import { log, type LogEntry } from '../../../api/log.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { renderEntry } from '../render-log.js';
import { viewOptions } from '../terminal.js';

const HELP = '[n]ext  [p]revious  [q]uit';

/** The rows a line takes on a terminal `columns` wide, wrapped (colour codes take none). */
const rowsOf = (line: string, columns: number) => Math.max(1, Math.ceil(line.replace(/\u001b\[[0-9;]*m/g, '').length / columns));

/** One screen: the header, then as much of the checkpoint as fits the terminal (long lines wrap and take more rows). */
function frame(entries: LogEntry[], i: number, color: boolean, pager: string | undefined): string {
  const rows = Math.max(10, process.stdout.rows ?? 24);
  const columns = Math.max(20, process.stdout.columns ?? 80);
  const body = renderEntry(entries[i]!, color).split('\n');
  const more = pager ? 'Enter pages through all of it' : 'specmap show for all of it';
  // The header and a blank line above, the "more" line below, and the last row left for the cursor.
  const room = rows - 4;
  const whole = body.reduce((n, l) => n + rowsOf(l, columns), 0) <= room + 1;
  let used = 0;
  let fit = 0;
  while (!whole && used + rowsOf(body[fit]!, columns) <= room) used += rowsOf(body[fit++]!, columns);
  const shown = whole ? body : [...body.slice(0, fit), `… ${body.length - fit} more lines (${more})`];
  return `\u001b[2J\u001b[H${i + 1}/${entries.length}  ${HELP}${pager ? '  [Enter] page' : ''}\n\n${shown.join('\n')}`;
}

/**
 * Steps through the session's checkpoints on a terminal; keys: n/space/→ next, p/← previous, q/Esc/Ctrl-C quit, and
 * with a pager Enter shows the whole checkpoint in it.
 */
async function interactive(entries: LogEntry[], color: boolean, pager: string | undefined): Promise<void> {
  const stdin = process.stdin;
  let i = 0;
  let paging = false;
  process.stdout.write(frame(entries, i, color, pager));
  stdin.setRawMode(true);
  stdin.resume();
  await new Promise<void>((resolve) => {
    stdin.on('data', (buf: Buffer) => {
      if (paging) return;
      const key = buf.toString('utf8');
      if (key === 'q' || key === '\u001b' || key === '\u0003') {
        resolve();
        return;
      }
      if (pager && (key === '\r' || key === '\n')) {
        // The pager takes the terminal; its keys are its own until it exits.
        paging = true;
        stdin.setRawMode(false);
        stdin.pause();
        process.stdout.write('\u001b[2J\u001b[H');
        void import('../pager.js').then((m) => m.page(pager, `${renderEntry(entries[i]!, color)}\n`)).then(() => {
          paging = false;
          stdin.setRawMode(true);
          stdin.resume();
          process.stdout.write(frame(entries, i, color, pager));
        });
        return;
      }
      const next = key === 'n' || key === ' ' || key === '\u001b[C' || key === 'j';
      const prev = key === 'p' || key === '\u001b[D' || key === 'k';
      if (next && i < entries.length - 1) i += 1;
      else if (prev && i > 0) i -= 1;
      else return;
      process.stdout.write(frame(entries, i, color, pager));
    });
  });
  stdin.setRawMode(false);
  stdin.pause();
  process.stdout.write('\n');
}

/**
 * `specmap replay <session>`: checkpoints oldest first with their diffs; interactive on a terminal, a plain dump
 * otherwise (through the pager when stdout is a terminal).
 */
export async function run(ctx: CommandContext, session: string): Promise<void> {
  const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !ctx.out.json && !ctx.out.quiet;
  const { color, pager } = await viewOptions(ctx);
  const result = await log({ cwd: ctx.cwd, session, stat: true, patch: true, color });
  const entries = [...result.checkpoints].reverse();
  if (entries.length === 0) throw new SpecmapError('NOTHING_TO_DO', `${session} has no checkpoints to replay`, { kind: 'no-checkpoints' });
  if (ctx.out.json) {
    // Oldest first, the order of the replay.
    ctx.out.result({ checkpoints: entries }, () => '');
    return;
  }
  if (tty) await interactive(entries, color, pager);
  else await ctx.out.paged(entries, (es) => es.map((e, i) => `=== ${i + 1}/${es.length} ===\n${renderEntry(e, color)}`).join('\n').trimEnd(), pager);
}
