import { showSession, type ShowResult } from '../../../domain/session/show.js';
import type { CommandContext } from '../output.js';
import { showCheckpoint } from '../../../domain/checkpoint/show.js';
import { renderEntry, useColor } from '../render-log.js';

export function renderShow(r: ShowResult): string {
  const s = r.doc.session;
  const m = r.doc.metrics;
  const lines = [
    `Session ${r.id} (${s.status}${r.state === 'archive' ? ', archived' : ''})`,
    `Focus:      ${s.focus}`,
    `Agent:      ${s.agent}`,
    `Started:    ${s.date} ${s.start_time}`,
    `Ended:      ${s.end_time ? `${s.end_date ?? s.date} ${s.end_time}` : '(still active)'}`,
    `Workspace:  ${r.workspace}`,
    `Git ref:    ${r.refTarget ? `${r.ref} -> ${r.refTarget.slice(0, 12)}` : '(none: this session has no git side)'}`,
  ];
  const meta = r.doc.metadata;
  if (meta && Object.keys(meta).length > 0) {
    lines.push('Metadata:');
    for (const [k, v] of Object.entries(meta)) lines.push(`  ${k}: ${String(v)}`);
  }
  const list = (title: string, items: string[]) => {
    lines.push(`${title} (${items.length}):`);
    for (const i of items) lines.push(`  ${i}`);
  };
  list('Created', r.doc.artifacts.created);
  list('Modified', r.doc.artifacts.modified);
  lines.push(`Checkpoints (${r.doc.checkpoints.length}):`);
  for (const c of r.doc.checkpoints) {
    const commit = c.commit ? ` ${c.commit.slice(0, 12)}` : '';
    lines.push(`  ${c.id}${commit}  ${c.description} (${c.files_snapshot.length} files)`);
  }
  if (m.duration_minutes !== undefined) {
    lines.push(
      `Metrics:    ${m.duration_minutes} minutes, ${m.files_created ?? 0} created, ${m.files_modified ?? 0} modified, ${m.checkpoints ?? 0} checkpoints`,
    );
  }
  if (r.doc.rulemap_score !== null) lines.push(`RULEMAP:    ${r.doc.rulemap_score}/10`);
  return lines.join('\n');
}

export async function run(ctx: CommandContext, target: string, opts: { transcript?: boolean } = {}): Promise<void> {
  if (target.includes(':')) {
    const color = !ctx.out.json && useColor();
    const e = await showCheckpoint({ cwd: ctx.cwd, spec: target, color, transcript: opts.transcript });
    ctx.out.result(e, (x) => {
      const prompts = x.prompts ? `\nPrompts that led to it (${x.prompts.length}):\n${x.prompts.map((p) => `  > ${p.replace(/\n/g, '\n    ')}`).join('\n')}\n\n` : '';
      return (prompts + renderEntry(x, color)).trimEnd();
    });
    return;
  }
  ctx.out.result(await showSession({ cwd: ctx.cwd, session: target }), renderShow);
}
