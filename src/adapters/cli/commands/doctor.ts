import { EXIT_CODES } from '../../../shared/errors.js';
import { doctor, type DoctorResult } from '../../../api/doctor.js';
import { dryRunNote } from '../dry-run.js';
import { withProgress, type CommandContext } from '../output.js';
import { count } from '../units.js';

export function renderDoctor(r: DoctorResult): string {
  if (r.findings.length === 0) return ['✅ Everything is consistent.', ...dryRunNote(r)].join('\n');
  const fixable = r.findings.filter((f) => f.fixable && !f.fixed).length;
  const lines = r.findings.map((f) => `${f.fixed ? '🔧 fixed' : f.fixable ? (r.dry_run ? '🔧 would fix' : '⚠️  fixable') : '❌'} ${f.check}: ${f.subject}: ${f.message}`);
  if (r.dry_run) lines.push(`${fixable} of ${count(r.findings.length, 'problem')} would be fixed by 'specmap doctor --fix'.`);
  else lines.push(r.remaining === 0 ? `✅ ${count(r.fixed, 'problem')} fixed.` : `${count(r.remaining, 'problem')} left${fixable > 0 ? " (run 'specmap doctor --fix')" : ''}.`);
  return [...lines, ...dryRunNote(r)].join('\n');
}

export async function run(ctx: CommandContext, opts: { fix?: boolean; dryRun?: boolean }): Promise<void> {
  const result = await withProgress(ctx, 'check', () => doctor({ cwd: ctx.cwd, fix: opts.fix, dryRun: opts.dryRun }));
  ctx.out.result(result, renderDoctor);
  if (result.remaining > 0) process.exitCode = EXIT_CODES.CORRUPT_DATA;
}
