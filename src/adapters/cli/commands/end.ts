import { endSession, type EndResult } from '../../../domain/session/end.js';
import type { CommandContext } from '../output.js';

export function renderEnd(r: EndResult): string {
  return [
    `✅ Session completed: ${r.id}`,
    `📊 Duration: ${r.durationMinutes} minutes`,
    `📁 Files created: ${r.filesCreated}`,
    `📝 Files modified: ${r.filesModified}`,
    `💾 Checkpoints: ${r.checkpoints}`,
    `🎯 RULEMAP Score: ${r.rulemapScore === null ? 'not given' : `${r.rulemapScore}/10`}`,
    `📦 Backup: ${r.backup ? r.backup.path : 'skipped (--no-backup)'}`,
    `🗄  Archived: ${r.archive}`,
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, score: string | undefined, opts: { backup: boolean }): Promise<void> {
  const result = await endSession({ cwd: ctx.cwd, session, score, backup: opts.backup });
  for (const w of result.warnings) ctx.out.warn(w);
  ctx.out.result(result, renderEnd);
}
