import { showSession, type ShowSessionResult } from '../../../api/show-session.js';
import type { CommandContext } from '../output.js';
import { viewOptions } from '../terminal.js';
import { count, localStamp } from '../units.js';

export function renderShow(r: ShowSessionResult): string {
  const m = r.metrics;
  const lines = [
    `Session ${r.session_id} (${r.status}${r.state === 'archive' ? ', archived' : ''})`,
    `Focus:      ${r.focus}`,
    `Agent:      ${r.agent}`,
    `Started:    ${localStamp(r.date, r.start_time)}`,
    `Ended:      ${r.end_time ? localStamp(r.end_date ?? r.date, r.end_time) : '(still active)'}`,
    `Workspace:  ${r.workspace}`,
    ...(r.worktree ? [`Worktree:   ${r.worktree} (another worktree of this repository)`] : []),
    `Git ref:    ${r.ref_target ? `${r.git_ref} -> ${r.ref_target.slice(0, 12)}` : '(none: this session has no git side)'}`,
  ];
  if (Object.keys(r.metadata).length > 0) {
    lines.push('Metadata:');
    for (const [k, v] of Object.entries(r.metadata)) lines.push(`  ${k}: ${v}`);
  }
  const list = (title: string, items: string[]) => {
    lines.push(`${title} (${items.length}):`);
    for (const i of items) lines.push(`  ${i}`);
  };
  list('Created', r.artifacts.created);
  list('Modified', r.artifacts.modified);
  lines.push(`Checkpoints (${r.checkpoints.length}):`);
  for (const c of r.checkpoints) {
    const commit = c.commit ? ` ${c.commit.slice(0, 12)}` : '';
    lines.push(`  ${c.checkpoint_id}${commit}  ${c.description} (${count(c.files.length, 'file')})`);
  }
  if (m.duration_minutes !== undefined) {
    lines.push(
      `Metrics:    ${count(m.duration_minutes, 'minute')}, ${m.files_created ?? 0} created, ${m.files_modified ?? 0} modified, ${count(m.checkpoints ?? 0, 'checkpoint')}`,
    );
  }
  if (r.rulemap_score !== null) lines.push(`RULEMAP:    ${r.rulemap_score}/10`);
  return lines.join('\n');
}

/** `specmap show <session>` or `specmap show <session>:<checkpoint>` (the colon says which). */
export async function run(ctx: CommandContext, target: string, opts: { transcript?: boolean } = {}): Promise<void> {
  // A checkpoint's view (log entry, patch, prompts) is loaded only when asked for: most calls show a session.
  if (target.includes(':')) return (await import('./show-checkpoint.js')).run(ctx, target, opts);
  const view = await viewOptions(ctx, false);
  await ctx.out.paged(await showSession({ cwd: ctx.cwd, session: target }), renderShow, view.pager);
}
