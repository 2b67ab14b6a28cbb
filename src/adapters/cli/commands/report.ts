import { basename, resolve } from 'node:path';
import { buildReport } from '../../../domain/report/report.js';
import { writeFileAtomic } from '../../../storage/fs/atomic-write.js';
import { renderReportHtml } from '../../../domain/report/html.js';
import { ioError, isSpecmapError } from '../../../shared/errors.js';
import { openProject } from '../../../domain/project/project.js';
import { REPORT_FILE, abs } from '../../../shared/layout.js';
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
