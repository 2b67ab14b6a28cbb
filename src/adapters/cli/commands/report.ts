import { report } from '../../../api/report.js';
import type { CommandContext } from '../output.js';
import { count } from '../units.js';

/**
 * `specmap report`: figures as JSON (--json) or one self-contained HTML file (default 04-agents/reports/report.html,
 * git-ignored and left out of checkpoints; `--out` may name a file or a folder, created when missing).
 */
export async function run(ctx: CommandContext, opts: { since?: string; out?: string }): Promise<void> {
  const html = !ctx.out.json || opts.out !== undefined;
  const r = await report({ cwd: ctx.cwd, since: opts.since, html, out: opts.out });
  ctx.out.result(r, (x) => `📈 Report: ${x.file} (${count(x.sessions.length, 'session')})`);
}
