import { log, type LogEntry } from '../../../api/log.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { renderEntry, useColor } from '../render-log.js';

const HELP = '[n]ext  [p]revious  [q]uit';

/** One screen: the header, then as much of the checkpoint as fits the terminal. */
function frame(entries: LogEntry[], i: number, color: boolean): string {
  const rows = Math.max(10, process.stdout.rows ?? 24);
  const body = renderEntry(entries[i]!, color).split('\n');
  const shown = body.length > rows - 3 ? [...body.slice(0, rows - 4), `… ${body.length - (rows - 4)} more lines (specmap show for all of it)`] : body;
  return `\u001b[2J\u001b[H${i + 1}/${entries.length}  ${HELP}\n\n${shown.join('\n')}`;
}

/** Steps through the session's checkpoints on a terminal; keys: n/space/→ next, p/← previous, q/Esc/Ctrl-C quit. */
async function interactive(entries: LogEntry[], color: boolean): Promise<void> {
  const stdin = process.stdin;
  let i = 0;
  process.stdout.write(frame(entries, i, color));
  stdin.setRawMode(true);
  stdin.resume();
  await new Promise<void>((resolve) => {
    stdin.on('data', (buf: Buffer) => {
      const key = buf.toString('utf8');
      if (key === 'q' || key === '\u001b' || key === '\u0003') {
        resolve();
        return;
      }
      const next = key === 'n' || key === ' ' || key === '\u001b[C' || key === 'j';
      const prev = key === 'p' || key === '\u001b[D' || key === 'k';
      if (next && i < entries.length - 1) i += 1;
      else if (prev && i > 0) i -= 1;
      else return;
      process.stdout.write(frame(entries, i, color));
    });
  });
  stdin.setRawMode(false);
  stdin.pause();
  process.stdout.write('\n');
}

/** `specmap replay <session>`: checkpoints oldest first with their diffs; interactive on a TTY, a plain dump otherwise. */
export async function run(ctx: CommandContext, session: string): Promise<void> {
  const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY) && !ctx.out.json;
  const color = tty && useColor();
  const result = await log({ cwd: ctx.cwd, session, stat: true, patch: true, color });
  const entries = [...result.checkpoints].reverse();
  if (entries.length === 0) throw new SpecmapError('NOTHING_TO_DO', `${session} has no checkpoints to replay`, { kind: 'no-checkpoints' });
  if (ctx.out.json) {
    // Oldest first, the order of the replay.
    ctx.out.result({ checkpoints: entries }, () => '');
    return;
  }
  if (tty) await interactive(entries, color);
  else ctx.out.line(entries.map((e, i) => `=== ${i + 1}/${entries.length} ===\n${renderEntry(e, false)}`).join('\n').trimEnd());
}
