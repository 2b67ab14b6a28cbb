import { dailyBackup, type DailyBackupResult } from '../../../api/daily-backup.js';
import { listBackups, type ListBackupsResult } from '../../../api/list-backups.js';
import { milestoneBackup, type MilestoneBackupResult } from '../../../api/milestone-backup.js';
import { pruneBackups, type PruneBackupsResult } from '../../../api/prune-backups.js';
import { verifyBackups, type VerifyBackupsResult } from '../../../api/verify-backups.js';
import { EXIT_CODES, SpecmapError } from '../../../shared/errors.js';
import { withCliHints } from '../hints.js';
import type { CommandContext } from '../output.js';
import { progressBar } from '../progress.js';
import { table } from '../table.js';

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function renderBackup(r: DailyBackupResult | MilestoneBackupResult): string {
  const lines = [
    `📦 ${r.kind === 'daily' ? 'Daily' : 'Milestone'} backup ${r.name}${r.updated ? ' (replaced the earlier one)' : ''}: ${r.files} files, ${kib(r.bytes)}`,
    `🗜  ${r.zip}`,
    `📋 ${r.manifest}`,
    `🔖 ${r.ref} -> ${r.commit.slice(0, 12)}`,
  ];
  if (r.kind === 'daily') lines.push(`📁 Items: ${r.items.join(', ')}`);
  return lines.join('\n');
}

export function renderList(r: ListBackupsResult): string {
  const list = r.backups;
  if (list.length === 0) return 'No backups yet.';
  return table(
    ['KIND', 'NAME', 'WRITTEN', 'FILES', 'SIZE', 'ZIP', 'GIT COPY'],
    list.map((b) => [
      b.kind, b.name, (b.written ?? '').replace('T', ' ').slice(0, 19), b.files === null ? '-' : String(b.files),
      b.zip_exists ? kib(b.bytes) : '-', b.zip_exists ? b.zip : 'missing', b.ref ? (b.ref_exists ? b.ref : 'missing') : '-',
    ]),
  );
}

export function renderVerify({ results }: VerifyBackupsResult): string {
  if (results.length === 0) return 'No backups to verify.';
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.ok ? '✅' : '❌'} ${r.kind} ${r.name}: ${r.ok ? `${r.files} files intact` : `${r.problems.length} problem(s)`}`);
    for (const p of r.problems) lines.push(`   ${p.path ? `${p.path}: ` : ''}${p.problem}`);
    for (const n of r.notes) lines.push(`   ℹ️  ${n}`);
  }
  return lines.join('\n');
}

export function renderPrune(r: PruneBackupsResult): string {
  const verb = r.dry_run ? 'Would delete' : 'Deleted';
  const lines = r.deleted.length === 0
    ? [`Nothing to prune (${r.kept} backups kept).`]
    : [`${verb} ${r.deleted.length} backup(s), keeping ${r.kept}:`, ...r.deleted.map((d) => `  ${d.kind} ${d.name}: ${d.paths.join(', ')}`)];
  if (r.held_back.length > 0) {
    lines.push(`Kept ${r.held_back.length} past the count, as the last copy of something:`);
    for (const x of r.held_back) lines.push(`  ${x.kind} ${x.name}: ${x.reason}`);
  }
  return lines.join('\n');
}

/** `specmap backup daily`. */
export async function runDaily(ctx: CommandContext): Promise<void> {
  const progress = progressBar(ctx.out.json);
  try {
    ctx.out.result(await dailyBackup({ cwd: ctx.cwd, onProgress: progress.onProgress }), (r) => (progress.done(), renderBackup(r)));
  } finally {
    progress.done();
  }
}

/** `specmap backup milestone <name> [--force]`. */
export async function runMilestone(ctx: CommandContext, name: string, flags: { force?: boolean }): Promise<void> {
  const progress = progressBar(ctx.out.json);
  try {
    const r = await withCliHints(milestoneBackup({ cwd: ctx.cwd, name, force: flags.force, onProgress: progress.onProgress }));
    ctx.out.result(r, (x) => (progress.done(), renderBackup(x)));
  } finally {
    progress.done();
  }
}

/** `specmap backup list`. */
export async function runList(ctx: CommandContext): Promise<void> {
  ctx.out.result(await listBackups({ cwd: ctx.cwd }), renderList);
}

/** `specmap backup verify [<backup>] [--all]`: the report is the result (also under --json); the exit status says whether it failed. */
export async function runVerify(ctx: CommandContext, name: string | undefined, flags: { all?: boolean }): Promise<void> {
  if (name !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a backup or --all, not both');
  const progress = progressBar(ctx.out.json);
  try {
    const verified = await withCliHints(verifyBackups({ cwd: ctx.cwd, backup: name, onProgress: progress.onProgress }), 'specmap backup list');
    progress.done();
    ctx.out.result(verified, renderVerify);
    const bad = verified.results.filter((r) => !r.ok).length;
    if (bad > 0) {
      process.stderr.write(`specmap: ${bad} backup(s) failed verification\n`);
      process.exitCode = EXIT_CODES.CORRUPT_DATA;
    }
  } finally {
    progress.done();
  }
}

export interface PruneFlags {
  keepDaily?: number;
  keepMilestones?: number;
  sessions?: number;
  dryRun?: boolean;
}

/** `specmap backup prune [--keep-daily N] [--keep-milestones N] [--sessions N] [--dry-run]`. */
export async function runPrune(ctx: CommandContext, flags: PruneFlags): Promise<void> {
  const result = await pruneBackups({
    cwd: ctx.cwd,
    keepDaily: flags.keepDaily,
    keepMilestones: flags.keepMilestones,
    keepSessions: flags.sessions,
    dryRun: flags.dryRun,
  });
  ctx.out.result(result, renderPrune);
}
