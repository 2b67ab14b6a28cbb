import { EXIT_CODES } from '../../../shared/errors.js';
import { doctor, type DoctorResult } from '../../../api/doctor.js';
import { withProgress, type CommandContext } from '../output.js';
import { count } from '../units.js';

export function renderDoctor(r: DoctorResult): string {
  if (r.findings.length === 0) return '✅ Everything is consistent.';
  const lines = r.findings.map((f) => `${f.fixed ? '🔧 fixed' : f.fixable ? '⚠️  fixable' : '❌'} ${f.check}: ${f.subject}: ${f.message}`);
  lines.push(r.remaining === 0 ? `✅ ${count(r.fixed, 'problem')} fixed.` : `${count(r.remaining, 'problem')} left${r.findings.some((f) => f.fixable && !f.fixed) ? " (run 'specmap doctor --fix')" : ''}.`);
  return lines.join('\n');
}

export async function run(ctx: CommandContext, opts: { fix?: boolean }): Promise<void> {
  const result = await withProgress(ctx, 'check', () => doctor({ cwd: ctx.cwd, fix: opts.fix }));
  ctx.out.result(result, renderDoctor);
  if (result.remaining > 0) process.exitCode = EXIT_CODES.CORRUPT_DATA;
}
