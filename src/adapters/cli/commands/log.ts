import { log } from '../../../api/log.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { renderLog } from '../render-log.js';
import { viewOptions } from '../terminal.js';

export interface LogFlags {
  oneline?: boolean;
  stat?: boolean;
  patch?: boolean;
  maxCount?: number;
  all?: boolean;
}

export async function run(ctx: CommandContext, session: string | undefined, flags: LogFlags): Promise<void> {
  if (session !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a session or --all, not both');
  const { color, pager } = await viewOptions(ctx);
  const result = await log({
    cwd: ctx.cwd,
    session,
    all: flags.all,
    limit: flags.maxCount,
    stat: flags.stat,
    patch: flags.patch,
    color,
  });
  await ctx.out.paged(result, (r) => renderLog(r.checkpoints, flags, color), pager);
}
