import { showCheckpoint, type ShowCheckpointResult } from '../../../api/show-checkpoint.js';
import { parseCheckpointSpec } from '../../../shared/checkpoint-spec.js';
import type { CommandContext } from '../output.js';
import { renderEntry } from '../render-log.js';
import { viewOptions } from '../terminal.js';

export function renderShowCheckpoint(r: ShowCheckpointResult, color: boolean): string {
  const prompts = r.prompts ? `\nPrompts that led to it (${r.prompts.length}):\n${r.prompts.map((p) => `  > ${p.replace(/\n/g, '\n    ')}`).join('\n')}\n\n` : '';
  return (prompts + renderEntry(r, color)).trimEnd();
}

/** `specmap show <session>:<checkpoint>`: one checkpoint, with its patch (and with --transcript the prompts behind it). */
export async function run(ctx: CommandContext, target: string, opts: { transcript?: boolean } = {}): Promise<void> {
  const spec = parseCheckpointSpec(target);
  const { color, pager } = await viewOptions(ctx);
  const r = await showCheckpoint({ cwd: ctx.cwd, ...spec, color, transcript: opts.transcript });
  await ctx.out.paged(r, (x) => renderShowCheckpoint(x, color), pager);
}
