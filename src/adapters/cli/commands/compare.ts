import { compare, type CompareResult } from '../../../api/compare.js';
import { SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';
import { count } from '../units.js';

const lines = (added: number | null, removed: number | null) => (added === null ? 'binary' : `+${added} -${removed}`);
/** The part of an id after its day: `session-002-auth`. */
const short = (id: string) => id.replace(/^\d{4}-\d{2}-\d{2}-/, '');

function runCell(r: NonNullable<CompareResult['sessions'][number]['run']>): string {
  const took = `${(r.duration_ms / 1000).toFixed(1)} s${r.ran_in === 'checkout' ? ', in a checkout' : ''}`;
  if (r.timed_out) return `timed out (${took})`;
  return r.exit_code === null ? `killed by ${r.signal} (${took})` : `exit ${r.exit_code} (${took})`;
}

export function renderCompare(r: CompareResult): string {
  const s = r.sessions;
  const row = (label: string, cell: (x: CompareResult['sessions'][number]) => string) => [label, ...s.map(cell)];
  const rows = [
    row('worktree', (x) => x.worktree),
    row('forked from', (x) => (x.forked_from ? `${short(x.forked_from.session_id)}:${x.forked_from.checkpoint_id}` : '-')),
    row('status', (x) => x.status),
    row('agent', (x) => x.agent),
    row('checkpoints', (x) => String(x.checkpoints)),
    row('files touched', (x) => String(x.files_touched)),
    row('lines', (x) => lines(x.lines_added, x.lines_removed)),
    row('RULEMAP', (x) => (x.rulemap_score === null ? '-' : `${x.rulemap_score}/10`)),
    row('duration', (x) => `${x.duration_minutes} min`),
    row('not checkpointed', (x) => (x.not_checkpointed.length === 0 ? '-' : count(x.not_checkpointed.length, 'file'))),
  ];
  if (s.some((x) => x.run)) rows.push(row(`run: ${s.find((x) => x.run)!.run!.command}`, (x) => (x.run ? runCell(x.run) : '-')));
  const out = [table(['', ...s.map((x) => short(x.session_id))], rows)];

  const paths = [...new Set(s.flatMap((x) => x.files.map((f) => f.path)))].sort();
  if (paths.length > 0) {
    const cell = (x: CompareResult['sessions'][number], p: string) => {
      const f = x.files.find((y) => y.path === p);
      return f ? `${f.status} ${lines(f.added, f.removed)}` : '';
    };
    out.push('', 'Files each changed (from its base to its last checkpoint):', table(['FILE', ...s.map((x) => short(x.session_id))], paths.map((p) => [p, ...s.map((x) => cell(x, p))])));
  }
  for (const d of r.diffs) {
    out.push('', `${short(d.from)} -> ${short(d.to)}: ${d.files_changed === 0 ? 'identical final states' : `${count(d.files_changed, 'file')} differ, +${d.lines_added} -${d.lines_removed}`}`);
    for (const f of d.files) out.push(`   ${f.path}  ${lines(f.added, f.removed)}`);
    if (d.patch) out.push('', d.patch.replace(/\n$/, ''));
  }
  for (const x of s) {
    if (x.run && (x.run.timed_out || x.run.exit_code !== 0) && x.run.output_tail) out.push('', `${short(x.session_id)}: last lines of '${x.run.command}':`, x.run.output_tail);
    if (x.not_checkpointed.length > 0) out.push('', `${short(x.session_id)}: not in its last checkpoint (not compared): ${x.not_checkpointed.slice(0, 10).join(', ')}${x.not_checkpointed.length > 10 ? ', …' : ''}`);
  }
  return out.join('\n');
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new SpecmapError('USAGE', `--timeout takes a number of seconds, got ${JSON.stringify(text.slice(0, 20))}`);
  return n;
}

export async function run(ctx: CommandContext, sessions: string[], opts: { run?: string; timeout?: string; patch?: boolean }): Promise<void> {
  const result = await compare({ cwd: ctx.cwd, sessions, run: opts.run, timeoutSeconds: seconds(opts.timeout), patch: opts.patch });
  ctx.out.result(result, renderCompare);
}
