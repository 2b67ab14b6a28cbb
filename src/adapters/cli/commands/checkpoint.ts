import { checkpoint, type CheckpointResult } from '../../../api/checkpoint.js';
import { withCliHints } from '../hints.js';
import type { CommandContext } from '../output.js';

export function renderCheckpoint(r: CheckpointResult): string {
  const files = r.files.length === 0 ? '(none: empty checkpoint)' : r.files.map((f) => (f.status === 'deleted' ? `${f.path} (deleted)` : f.path)).join(', ');
  return [
    `💾 Checkpoint created: "${r.description.split('\n')[0]}"`,
    `📁 Files snapshotted: ${files}`,
    `🔖 ${r.checkpoint_id} -> ${r.commit.slice(0, 12)} (${r.tag})`,
    ...(r.skipped_secrets.length > 0 ? [`🔒 Left out secret files: ${r.skipped_secrets.join(', ')} (name one to take it)`] : []),
  ].join('\n');
}

export async function run(
  ctx: CommandContext,
  session: string,
  description: string,
  files: string[],
  opts: { allowEmpty?: boolean },
): Promise<void> {
  const result = await withCliHints(checkpoint({ cwd: ctx.cwd, session, description, files, allowEmpty: opts.allowEmpty }));
  ctx.out.result(result, renderCheckpoint);
}
