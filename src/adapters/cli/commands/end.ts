import { end, type EndResult } from '../../../api/end.js';
import type { CommandContext } from '../output.js';

export function renderEnd(r: EndResult): string {
  return [
    `✅ Session completed: ${r.session_id}`,
    `📊 Duration: ${r.duration_minutes} minutes`,
    `📁 Files created: ${r.files_created}`,
    `📝 Files modified: ${r.files_modified}`,
    `💾 Checkpoints: ${r.checkpoints}`,
    `🎯 RULEMAP Score: ${r.rulemap_score === null ? 'not given' : `${r.rulemap_score}/10`}`,
    `📦 Backup: ${r.backup ? r.backup.path : 'skipped (--no-backup)'}`,
    `🗄  Archived: ${r.archive}`,
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, score: string | undefined, opts: { backup: boolean }): Promise<void> {
  const result = await end({ cwd: ctx.cwd, session, score, backup: opts.backup });
  for (const w of result.warnings) ctx.out.warn(w);
  ctx.out.result(result, renderEnd);
}
