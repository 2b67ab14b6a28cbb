import { log } from '../../../api/log.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { renderLog, useColor } from '../render-log.js';

export interface LogFlags {
  oneline?: boolean;
  stat?: boolean;
  patch?: boolean;
  maxCount?: number;
  all?: boolean;
}

export async function run(ctx: CommandContext, session: string | undefined, flags: LogFlags): Promise<void> {
  if (session !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a session or --all, not both');
  const color = !ctx.out.json && useColor();
  const result = await log({
    cwd: ctx.cwd,
    session,
    all: flags.all,
    limit: flags.maxCount,
    stat: flags.stat,
    patch: flags.patch,
    color,
  });
  ctx.out.result(result, (r) => renderLog(r.checkpoints, flags, color));
}
