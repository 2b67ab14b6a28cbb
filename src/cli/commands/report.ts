import { basename, resolve } from 'node:path';
import { buildReport } from '../../core/report.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { renderReportHtml } from '../../report/html.js';
import { ioError, isSpecmapError } from '../../core/errors.js';
import { openProject } from '../../core/project.js';
import { REPORT_FILE, abs } from '../../core/layout.js';
import type { CommandContext } from '../output.js';

/**
 * `specmap report`: figures as JSON (--json) or one self-contained HTML file (default specmap-report.html at the
 * project root, a file checkpoints leave out).
 */
export async function run(ctx: CommandContext, opts: { since?: string; out?: string }): Promise<void> {
  const data = await buildReport({ cwd: ctx.cwd, since: opts.since });
  if (ctx.out.json && opts.out === undefined) {
    ctx.out.result(data, () => '');
    return;
  }
  const project = await openProject({ cwd: ctx.cwd });
  const out = opts.out !== undefined ? resolve(ctx.cwd ?? process.cwd(), opts.out) : abs(project.root, REPORT_FILE);
  try {
    writeFileAtomic(out, renderReportHtml(data, basename(project.root)));
  } catch (err) {
    throw isSpecmapError(err) ? err : ioError('write', out, err);
  }
  ctx.out.result({ file: out, sessions: data.sessions.length }, (r) => `📈 Report: ${r.file} (${r.sessions} sessions)`);
}
