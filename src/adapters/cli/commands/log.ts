import { log } from '../../../api/log.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { renderLog } from '../render-log.js';
import { viewOptions } from '../terminal.js';

export interface LogFlags {
  oneline?: boolean;
  stat?: boolean;
  patch?: boolean;
  maxCount?: string;
  all?: boolean;
}

export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new SpecmapError('INVALID_INPUT', `-n wants a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

export async function run(ctx: CommandContext, session: string | undefined, flags: LogFlags): Promise<void> {
  if (session !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a session or --all, not both');
  const { color, pager } = await viewOptions(ctx);
  const result = await log({
    cwd: ctx.cwd,
    session,
    all: flags.all,
    limit: parseCount(flags.maxCount),
    stat: flags.stat,
    patch: flags.patch,
    color,
  });
  await ctx.out.paged(result, (r) => renderLog(r.checkpoints, flags, color), pager);
}
