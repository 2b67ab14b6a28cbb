import { end, type EndResult } from '../../../api/end.js';
import { SpecmapError, isSpecmapError } from '../../../shared/errors.js';
import { withProgress, type CommandContext } from '../output.js';
import { count, humanBytes } from '../units.js';

export function renderEnd(r: EndResult): string {
  const backup = !r.backup ? 'skipped (--no-backup)'
    : r.backup.pending ? `${r.backup.path} (written by the next specmap command)`
    : `${r.backup.path} (${count(r.backup.entries, 'entry', 'entries')}, ${humanBytes(r.backup.bytes)} on disk)`;
  return [
    `✅ Session completed: ${r.session_id}`,
    `📊 Duration: ${count(r.duration_minutes, 'minute')}`,
    `📁 Files created: ${r.files_created}`,
    `📝 Files modified: ${r.files_modified}`,
    `💾 Checkpoints: ${r.checkpoints}`,
    `🎯 RULEMAP Score: ${r.rulemap_score === null ? 'not given' : `${r.rulemap_score}/10`}`,
    `📦 Backup: ${backup}`,
    `🗄  Archived: ${r.archive}`,
    ...(r.discarded ? [
      `🧹 Worktree removed: ${r.discarded.worktree}`,
      `   Kept: ${r.discarded.archive}, ${r.discarded.backup} (verified), ${count(r.discarded.kept_refs.length, 'ref or tag', 'refs and tags')} in git`,
      ...(r.discarded.deleted_ignored.length > 0 ? [`   Deleted with it (git-ignored): ${r.discarded.deleted_ignored.join(', ')}`] : []),
    ] : []),
  ].join('\n');
}

export async function run(ctx: CommandContext, session: string, score: string | undefined, opts: { backup: boolean; discard?: boolean; force?: boolean }): Promise<void> {
  if (opts.force && !opts.discard) throw new SpecmapError('USAGE', '--force goes with --discard');
  let result: EndResult;
  try {
    result = await withProgress(ctx, undefined, (onProgress) => end({ cwd: ctx.cwd, session, score, backup: opts.backup, discard: opts.discard, force: opts.force, onProgress }));
  } catch (err) {
    if (isSpecmapError(err) && err.details.kind === 'ignored-files') throw new SpecmapError(err.code, `${err.message} (use --force to delete them too)`, err.details);
    throw err;
  }
  for (const w of result.warnings) ctx.out.warn(w);
  ctx.out.result(result, renderEnd);
}
