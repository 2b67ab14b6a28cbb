import { mergeSession, type MergeResult } from '../../../domain/remote/merge.js';
import type { CommandContext } from '../output.js';

export function renderMerge(r: MergeResult): string {
  return [
    `🔀 ${r.session} -> ${r.branch}: ${r.commit.slice(0, 12)} (${r.files.length} file${r.files.length === 1 ? '' : 's'}${r.merged ? ', merged with newer commits on the branch' : ''})`,
    ...r.files.map((f) => `   ${f}`),
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, opts: { into?: string; message?: string }): Promise<void> {
  ctx.out.result(await mergeSession({ cwd: ctx.cwd, session, into: opts.into, message: opts.message }), renderMerge);
}
