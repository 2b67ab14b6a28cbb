import { dailyBackup, type DailyBackupResult } from '../../../api/daily-backup.js';
import { listBackups, type ListBackupsResult } from '../../../api/list-backups.js';
import { milestoneBackup, type MilestoneBackupResult } from '../../../api/milestone-backup.js';
import { pruneBackups, type PruneBackupsResult } from '../../../api/prune-backups.js';
import { verifyBackups, type VerifyBackupsResult } from '../../../api/verify-backups.js';
import { localDate, localTime } from '../../../shared/clock.js';
import { EXIT_CODES, SpecmapError } from '../../../shared/errors.js';
import { withCliHints } from '../hints.js';
import { withProgress, type CommandContext } from '../output.js';
import { table } from '../table.js';
import { count, humanBytes, localStamp } from '../units.js';

export function renderBackup(r: DailyBackupResult | MilestoneBackupResult): string {
  const lines = [
    `📦 ${r.kind === 'daily' ? 'Daily' : 'Milestone'} backup ${r.name}${r.updated ? ' (replaced the earlier one)' : ''}: ${count(r.files, 'file')}, ${humanBytes(r.bytes)}; ZIP ${humanBytes(r.zip_bytes)} on disk`,
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
    ['KIND', 'NAME', 'WRITTEN', 'FILES', 'ON DISK', 'ZIP', 'GIT COPY'],
    list.map((b) => [
      b.kind, b.name, writtenAt(b.written), b.files === null ? '-' : b.files.toLocaleString('en'),
      b.zip_exists ? humanBytes(b.bytes) : '-', b.zip_exists ? b.zip : 'missing', b.ref ? (b.ref_exists ? b.ref : 'missing') : '-',
    ]),
  );
}

/** A backup's ISO time as local time with its offset: "2025-10-25 14:30:00 +02:00". */
export function writtenAt(iso: string | null): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '-';
  return localStamp(localDate(d), localTime(d));
}

export function renderVerify({ results }: VerifyBackupsResult): string {
  if (results.length === 0) return 'No backups to verify.';
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.ok ? '✅' : '❌'} ${r.kind} ${r.name}: ${r.ok ? `${count(r.files, 'file')} intact` : count(r.problems.length, 'problem')}`);
    for (const p of r.problems) lines.push(`   ${p.path ? `${p.path}: ` : ''}${p.problem}`);
    for (const n of r.notes) lines.push(`   ℹ️  ${n}`);
  }
  return lines.join('\n');
}

export function renderPrune(r: PruneBackupsResult): string {
  const verb = r.dry_run ? 'Would delete' : 'Deleted';
  const lines = r.deleted.length === 0
    ? [`Nothing to prune (${count(r.kept, 'backup')} kept).`]
    : [`${verb} ${count(r.deleted.length, 'backup')}, keeping ${r.kept}:`, ...r.deleted.map((d) => `  ${d.kind} ${d.name}: ${d.paths.join(', ')}`)];
  if (r.held_back.length > 0) {
    lines.push(`Kept ${r.held_back.length} past the count, as the last copy of something:`);
    for (const x of r.held_back) lines.push(`  ${x.kind} ${x.name}: ${x.reason}`);
  }
  return lines.join('\n');
}

/** `specmap backup daily`. */
export async function runDaily(ctx: CommandContext): Promise<void> {
  ctx.out.result(await withProgress(ctx, 'snapshot', (onProgress) => dailyBackup({ cwd: ctx.cwd, onProgress })), renderBackup);
}

/** `specmap backup milestone <name> [--force]`. */
export async function runMilestone(ctx: CommandContext, name: string, flags: { force?: boolean }): Promise<void> {
  const r = await withProgress(ctx, 'snapshot', (onProgress) => withCliHints(milestoneBackup({ cwd: ctx.cwd, name, force: flags.force, onProgress })));
  ctx.out.result(r, renderBackup);
}

/** `specmap backup list`. */
export async function runList(ctx: CommandContext): Promise<void> {
  ctx.out.result(await listBackups({ cwd: ctx.cwd }), renderList);
}

/** `specmap backup verify [<backup>] [--all]`: the report is the result (also under --json); the exit status says whether it failed. */
export async function runVerify(ctx: CommandContext, name: string | undefined, flags: { all?: boolean }): Promise<void> {
  if (name !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a backup or --all, not both');
  const verified = await withProgress(ctx, 'verify', (onProgress) => withCliHints(verifyBackups({ cwd: ctx.cwd, backup: name, onProgress }), 'specmap backup list'));
  ctx.out.result(verified, renderVerify);
  const bad = verified.results.filter((r) => !r.ok).length;
  if (bad > 0) {
    process.stderr.write(`specmap: ${count(bad, 'backup')} failed verification\n`);
    process.exitCode = EXIT_CODES.CORRUPT_DATA;
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
