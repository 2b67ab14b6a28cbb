import { end, type EndResult } from '../../../api/end.js';
import { withProgress, type CommandContext } from '../output.js';
import { count, humanBytes } from '../units.js';

export function renderEnd(r: EndResult): string {
  const backup = !r.backup ? 'skipped (--no-backup)'
    : r.backup.pending ? `${r.backup.path} (written by the next specmap command)`
    : `${r.backup.path} (${count(r.backup.entries, 'entry', 'entries')}, ${humanBytes(r.backup.bytes)} on disk)`;
  return [
    `✅ Session completed: ${r.session_id}`,
    `📊 Duration: ${count(r.duration_minutes, 'minute')}`,
    `📁 Files created: ${r.files_created}`,
    `📝 Files modified: ${r.files_modified}`,
    `💾 Checkpoints: ${r.checkpoints}`,
    `🎯 RULEMAP Score: ${r.rulemap_score === null ? 'not given' : `${r.rulemap_score}/10`}`,
    `📦 Backup: ${backup}`,
    `🗄  Archived: ${r.archive}`,
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, score: string | undefined, opts: { backup: boolean }): Promise<void> {
  const result = await withProgress(ctx, undefined, (onProgress) => end({ cwd: ctx.cwd, session, score, backup: opts.backup, onProgress }));
  for (const w of result.warnings) ctx.out.warn(w);
  ctx.out.result(result, renderEnd);
}
