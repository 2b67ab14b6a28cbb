import { diskUsage, type DiskUsageResult } from '../../../api/disk-usage.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';
import { count, humanBytes as h } from '../units.js';

const dash = (n: number) => (n === 0 ? '-' : h(n));

export function renderDiskUsage(r: DiskUsageResult): string {
  const out: string[] = [];
  if (r.sessions.length === 0) out.push('No sessions.');
  else {
    out.push(table(
      ['SESSION', 'STATE', 'CHECKPOINTS', 'GIT', 'ONLY HERE', 'TRANSCRIPT', 'ZIP', 'FOLDER'],
      r.sessions.map((s) => [
        s.session_id, s.state, String(s.checkpoints), dash(s.git_bytes), dash(s.unique_bytes), dash(s.transcript_bytes), dash(s.zip_bytes), dash(s.workspace_bytes),
      ]),
    ));
  }
  const t = r.totals;
  const o = r.objects;
  out.push(
    '',
    `Sessions:        ${t.sessions}, ${count(t.checkpoints, 'checkpoint')}; git ${h(t.git_bytes)} (transcripts ${h(t.transcript_bytes)}), ZIPs ${h(t.session_zip_bytes)}, folders ${h(t.workspace_bytes)}`,
    `Daily backups:   ${t.daily.count}; on disk ${h(t.daily.disk_bytes)}, git ${h(t.daily.git_bytes)}`,
    `Milestones:      ${t.milestones.count}; on disk ${h(t.milestones.disk_bytes)}, git ${h(t.milestones.git_bytes)}`,
    `Turn baselines:  ${t.turn_baselines.count}; git ${h(t.turn_baselines.git_bytes)}`,
    ...(t.fetched.refs > 0 ? [`Fetched refs:    ${t.fetched.refs}; git ${h(t.fetched.git_bytes)}`] : []),
    `Objects:         ${o.loose_count.toLocaleString('en')} loose (${h(o.loose_bytes)}), ${o.packed_objects.toLocaleString('en')} in ${count(o.packs, 'pack')} (${h(o.pack_bytes)}); gc.auto ${o.gc_auto === 0 ? 'off' : o.gc_auto}`,
    '',
    'GIT: objects only specmap\'s refs hold (not your branches or tags), as git stores them; ONLY HERE: of those, what no other ref holds.',
  );
  return out.join('\n');
}

/** `specmap du [session]`: what sessions, checkpoints, transcripts, ZIPs and backups cost on disk. */
export async function run(ctx: CommandContext, session: string | undefined): Promise<void> {
  ctx.out.result(await diskUsage({ cwd: ctx.cwd, session }), renderDiskUsage);
}
