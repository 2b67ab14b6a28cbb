import { diffCheckpoints, type DiffResult } from '../../../domain/checkpoint/show.js';
import type { CommandContext } from '../output.js';
import { useColor } from '../render-log.js';

export async function run(ctx: CommandContext, from: string, to: string | undefined, flags: { stat?: boolean }): Promise<void> {
  const color = !ctx.out.json && useColor();
  const result = await diffCheckpoints({ cwd: ctx.cwd, from, to, stat: flags.stat, color });
  ctx.out.result(result, (r: DiffResult) => r.text.replace(/\n$/, ''));
}
