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
import { parseCount } from './log.js';

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
  if (r.deleted.length === 0) return `Nothing to prune (${count(r.kept, 'backup')} kept).`;
  const verb = r.dry_run ? 'Would delete' : 'Deleted';
  return [`${verb} ${count(r.deleted.length, 'backup')}, keeping ${r.kept}:`, ...r.deleted.map((d) => `  ${d.kind} ${d.name}: ${d.paths.join(', ')}`)].join('\n');
}

export interface BackupFlags {
  force?: boolean;
  all?: boolean;
  keepDaily?: string;
  keepMilestones?: string;
  sessions?: string;
  dryRun?: boolean;
  rehash?: boolean;
}

export async function run(ctx: CommandContext, action: string, name: string | undefined, extra: string | undefined, flags: BackupFlags): Promise<void> {
  if (action === 'offsite') {
    await (await import('./offsite.js')).run(ctx, name, extra, { rehash: flags.rehash });
    return;
  }
  if (flags.rehash) throw new SpecmapError('USAGE', '--rehash goes with backup offsite push');
  if (extra !== undefined) throw new SpecmapError('USAGE', `backup ${action} takes at most one name (got ${JSON.stringify(extra)} as well)`);
  if (action === 'daily') {
    if (name !== undefined) throw new SpecmapError('USAGE', 'backup daily takes no name (it is the date)');
    const r = await withProgress(ctx, 'snapshot', (onProgress) => dailyBackup({ cwd: ctx.cwd, onProgress }));
    ctx.out.result(r, renderBackup);
  } else if (action === 'milestone') {
    if (name === undefined) throw new SpecmapError('USAGE', 'backup milestone needs a name, e.g. v1.0-release');
    const r = await withProgress(ctx, 'snapshot', (onProgress) => withCliHints(milestoneBackup({ cwd: ctx.cwd, name, force: flags.force, onProgress })));
    ctx.out.result(r, renderBackup);
  } else if (action === 'list') {
    ctx.out.result(await listBackups({ cwd: ctx.cwd }), renderList);
  } else if (action === 'verify') {
    if (name !== undefined && flags.all) throw new SpecmapError('USAGE', 'give a backup or --all, not both');
    const verified = await withProgress(ctx, 'verify', (onProgress) => withCliHints(verifyBackups({ cwd: ctx.cwd, backup: name, onProgress }), 'specmap backup list'));
    ctx.out.result(verified, renderVerify);
    const bad = verified.results.filter((r) => !r.ok).length;
    if (bad > 0) {
      // The report above is the result (also under --json); the exit status says it failed.
      process.stderr.write(`specmap: ${count(bad, 'backup')} failed verification\n`);
      process.exitCode = EXIT_CODES.CORRUPT_DATA;
    }
  } else if (action === 'prune') {
    const result = await pruneBackups({
      cwd: ctx.cwd,
      keepDaily: parseCount(flags.keepDaily),
      keepMilestones: parseCount(flags.keepMilestones),
      keepSessions: parseCount(flags.sessions),
      dryRun: flags.dryRun,
    });
    ctx.out.result(result, renderPrune);
  } else {
    throw new SpecmapError('USAGE', `backup takes daily, milestone <name>, list, verify [<backup>], prune or offsite push|pull|list|verify [<remote>], not ${JSON.stringify(action)}`);
  }
}
