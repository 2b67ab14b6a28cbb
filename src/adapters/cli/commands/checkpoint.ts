import { checkpoint, type CheckpointResult } from '../../../api/checkpoint.js';
import { withCliHints } from '../hints.js';
import { withProgress, type CommandContext } from '../output.js';
import { NAMES_SHOWN } from '../table.js';
import { count as plural } from '../units.js';

/**
 * The files line: every name for a small checkpoint, like `git commit` counts and a few names for a large one
 * (a checkpoint of 5,000 files printed hundreds of KB on one line).
 */
function filesLine(files: CheckpointResult['files'], verbose: boolean): string {
  if (files.length === 0) return '(none: empty checkpoint)';
  const name = (f: CheckpointResult['files'][number]) => (f.status === 'deleted' ? `${f.path} (deleted)` : f.path);
  if (verbose || files.length <= NAMES_SHOWN) return files.map(name).join(', ');
  const count = (status: string) => files.filter((f) => f.status === status).length;
  const parts = [
    [count('added'), 'added'], [count('modified'), 'modified'], [count('deleted'), 'deleted'], [count('unchanged'), 'unchanged'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${(n as number).toLocaleString('en')} ${what}`);
  const shown = files.slice(0, NAMES_SHOWN).map(name).join(', ');
  return `${plural(files.length, 'file')} (${parts.join(', ')}): ${shown}, … and ${(files.length - NAMES_SHOWN).toLocaleString('en')} more (--verbose lists them all)`;
}

/** Names, the first few of a long list unless every one is asked for. */
function namesLine(names: string[], verbose: boolean): string {
  if (verbose || names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')}, … and ${(names.length - NAMES_SHOWN).toLocaleString('en')} more (--verbose lists them all)`;
}

export function renderCheckpoint(r: CheckpointResult, verbose = false): string {
  const files = filesLine(r.files, verbose);
  return [
    `💾 Checkpoint created: "${r.description.split('\n')[0]}"`,
    `📁 Files snapshotted: ${files}`,
    `🔖 ${r.checkpoint_id} -> ${r.commit.slice(0, 12)} (${r.tag})`,
    ...(r.skipped_secrets.length > 0 ? [`🔒 Left out ${plural(r.skipped_secrets.length, 'secret file')}: ${namesLine(r.skipped_secrets, verbose)} (name one to take it)`] : []),
  ].join('\n');
}

export async function run(
  ctx: CommandContext,
  session: string,
  description: string,
  files: string[],
  opts: { allowEmpty?: boolean },
): Promise<void> {
  const result = await withProgress(ctx, 'snapshot', (onProgress) => withCliHints(checkpoint({ cwd: ctx.cwd, session, description, files, allowEmpty: opts.allowEmpty, onProgress })));
  // -v is the global --verbose (commander takes it wherever it stands): every file, not the first ten and a count.
  ctx.out.result(result, (r) => renderCheckpoint(r, ctx.verbose));
}
