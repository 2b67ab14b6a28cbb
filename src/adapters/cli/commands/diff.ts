import { diff } from '../../../api/diff.js';
import { parseCheckpointSpec } from '../../../shared/checkpoint-spec.js';
import type { CommandContext } from '../output.js';
import { viewOptions } from '../terminal.js';

/** `specmap diff <session>:<checkpoint> [<checkpoint>]`: a bare second checkpoint is in the first one's session. */
export async function run(ctx: CommandContext, fromText: string, toText: string | undefined, flags: { stat?: boolean }): Promise<void> {
  const { color, pager } = await viewOptions(ctx);
  const from = parseCheckpointSpec(fromText);
  const to = toText === undefined ? undefined : parseCheckpointSpec(toText, from.session);
  const result = await diff({ cwd: ctx.cwd, from, to, stat: flags.stat, color });
  await ctx.out.paged(result, (r) => r.diff.replace(/\n$/, ''), pager);
}
