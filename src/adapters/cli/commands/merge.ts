import { merge, type MergeResult } from '../../../api/merge.js';
import { SpecmapError, isSpecmapError } from '../../../shared/errors.js';
import { dryRunNote } from '../dry-run.js';
import type { CommandContext } from '../output.js';
import { count } from '../units.js';

export function renderMerge(r: MergeResult): string {
  return [
    `🔀 ${r.session_id} -> ${r.branch}: ${r.commit.slice(0, 12)}${r.dry_run ? ` would be committed on ${r.parent.slice(0, 12)}` : ''} (${count(r.files.length, 'file')}${r.merged ? ', merged with newer commits on the branch' : ''})`,
    ...r.files.map((f) => `   ${f}`),
    ...dryRunNote(r),
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, opts: { into?: string; message?: string; dryRun?: boolean }): Promise<void> {
  let r: MergeResult;
  try {
    r = await merge({ cwd: ctx.cwd, session, into: opts.into, message: opts.message, dryRun: opts.dryRun });
  } catch (err) {
    if (isSpecmapError(err) && err.details.kind === 'detached-head') throw new SpecmapError(err.code, `${err.message} (--into <branch>)`, err.details);
    throw err;
  }
  ctx.out.result(r, renderMerge);
}
