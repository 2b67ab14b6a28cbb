import { listBackups, type ListBackupsResult } from '../../../api/list-backups.js';
import { listCheckpoints, type ListCheckpointsResult } from '../../../api/list-checkpoints.js';
import { restoreBackup, type RestoreBackupResult } from '../../../api/restore-backup.js';
import { restoreCheckpoint, type RestoreCheckpointResult } from '../../../api/restore-checkpoint.js';
import { restoreProjectBackup, type RestoreProjectBackupResult } from '../../../api/restore-project-backup.js';
import { SpecmapError } from '../../../shared/errors.js';
import { withCliHints } from '../hints.js';
import { withProgress, type CommandContext } from '../output.js';
import { nameLines, table as renderTable } from '../table.js';
import { count, humanBytes, localStamp } from '../units.js';
import { writtenAt } from './backup.js';

export interface RestoreFlags {
  listBackups?: boolean;
  restoreBackup?: string;
  listCheckpoints?: string;
  restoreCheckpoint?: string;
  restoreDaily?: string;
  restoreMilestone?: string;
  to?: string;
  /** An off-site copy, or true for the configured one. */
  from?: string | true;
  inPlace?: boolean;
  force?: boolean;
}

const SOURCE: Record<string, string> = { git: 'git', copies: 'file copies', zip: 'session ZIP', none: 'not restorable' };

export function renderCheckpointList(r: ListCheckpointsResult): string {
  if (r.checkpoints.length === 0) return `No checkpoints in ${r.session_id}.`;
  const rows = r.checkpoints.map((c) => [c.checkpoint_id, localStamp(c.date, c.time), c.commit && c.in_git ? c.commit.slice(0, 12) : '-', SOURCE[c.source]!, c.files.length.toLocaleString('en'), c.description.split('\n')[0]!]);
  return `Checkpoints of ${r.session_id}:\n${renderTable(['CHECKPOINT', 'TIME', 'COMMIT', 'FILES FROM', 'FILES', 'DESCRIPTION'], rows)}`;
}

export function renderBackups(r: ListBackupsResult): string {
  if (r.backups.length === 0) return 'No backups yet (a session ZIP is written when a session ends).';
  return renderTable(['SESSION', 'ON DISK', 'WRITTEN', 'PATH'], r.backups.map((b) => [b.name, humanBytes(b.bytes), writtenAt(b.written), b.zip]));
}

export function renderRestoredCheckpoint(r: RestoreCheckpointResult, verbose = false): string {
  const from = r.source === 'git' ? 'git' : r.source === 'zip' ? 'the session ZIP (git objects are gone)' : 'file copies in snapshots/';
  const lines = [`♻️  Restored ${r.session_id}:${r.checkpoint_id} from ${from}`];
  lines.push(`${r.destination === '.' ? '📁 Into the working tree' : `📁 Into ${r.destination}`}: ${count(r.written.length, 'file')}`);
  lines.push(...nameLines(r.written, verbose));
  if (r.deleted.length > 0) lines.push(`🗑  ${r.destination === '.' ? 'Removed (absent at that checkpoint)' : 'Absent at that checkpoint'}: ${r.deleted.join(', ')}`);
  if (r.safety) {
    lines.push(`💾 Safety checkpoint first: ${r.safety.session_id}:${r.safety.checkpoint_id} (${r.safety.commit.slice(0, 12)})`);
    lines.push(`↩️  Undo: ${r.safety.undo}`);
  }
  return lines.join('\n');
}

const fetchedLine = (fetched: string[]) => (fetched.length > 0 ? `\n☁️  Fetched first from the off-site copy: ${fetched.join(', ')}` : '');

export function renderRestoredBackup(r: RestoreBackupResult): string {
  return `♻️  Restored ${r.session_id} from ${r.backup}${fetchedLine(r.fetched)}\n📁 Into ${r.destination} (${count(r.files, 'file')})`;
}

export function renderRestoredProjectBackup(r: RestoreProjectBackupResult): string {
  const from = { zip: 'its ZIP', git: 'the git copy', folder: 'its folder copies' }[r.source];
  return `♻️  Restored ${r.kind} backup ${r.name} from ${from}${fetchedLine(r.fetched)}\n📁 Into ${r.destination} (${count(r.files, 'file')})`;
}

function noArgsFor(args: string[], what: string): void {
  if (args.length > 0) throw new SpecmapError('USAGE', `${what} takes no further arguments (got ${args.join(' ')})`);
}

export async function run(ctx: CommandContext, args: string[], flags: RestoreFlags): Promise<void> {
  const modes = [flags.listBackups, flags.restoreBackup, flags.listCheckpoints, flags.restoreCheckpoint, flags.restoreDaily, flags.restoreMilestone]
    .filter((m) => m !== undefined && m !== false);
  if (modes.length !== 1) {
    throw new SpecmapError(
      'USAGE',
      'choose one of --list-backups, --restore-backup <session>, --list-checkpoints <session>, --restore-checkpoint <session> <checkpoint>, --restore-daily <date>, --restore-milestone <name>',
    );
  }
  if (flags.to !== undefined && !flags.restoreDaily && !flags.restoreMilestone) throw new SpecmapError('USAGE', '--to goes with --restore-daily or --restore-milestone');
  if (flags.from !== undefined && flags.restoreBackup === undefined && flags.restoreDaily === undefined && flags.restoreMilestone === undefined) {
    throw new SpecmapError('USAGE', '--from goes with --restore-backup, --restore-daily or --restore-milestone');
  }
  const from = flags.from;
  if (flags.restoreDaily !== undefined || flags.restoreMilestone !== undefined) {
    noArgsFor(args, flags.restoreDaily !== undefined ? '--restore-daily' : '--restore-milestone');
    const kind = flags.restoreDaily !== undefined ? 'daily' : 'milestone';
    const name = (flags.restoreDaily ?? flags.restoreMilestone)!;
    const r = await withProgress(ctx, from !== undefined ? 'download' : 'check', (onProgress) => withCliHints(restoreProjectBackup({ cwd: ctx.cwd, kind, name, to: flags.to, force: flags.force, from, onProgress }), 'specmap backup list'));
    for (const n of r.notes) ctx.out.warn(n);
    ctx.out.result(r, renderRestoredProjectBackup);
    return;
  }
  if (flags.inPlace && !flags.restoreCheckpoint) throw new SpecmapError('USAGE', '--in-place goes with --restore-checkpoint');
  const noArgs = (what: string) => noArgsFor(args, what);
  if (flags.listBackups) {
    noArgs('--list-backups');
    ctx.out.result(await listBackups({ cwd: ctx.cwd, kind: 'session' }), renderBackups);
  } else if (flags.restoreBackup !== undefined) {
    noArgs('--restore-backup');
    const session = flags.restoreBackup;
    const r = await withProgress(ctx, from !== undefined ? 'download' : 'check', (onProgress) => withCliHints(restoreBackup({ cwd: ctx.cwd, session, force: flags.force, from, onProgress }), 'specmap restore --list-backups'));
    ctx.out.result(r, renderRestoredBackup);
  } else if (flags.listCheckpoints !== undefined) {
    noArgs('--list-checkpoints');
    ctx.out.result(await listCheckpoints({ cwd: ctx.cwd, session: flags.listCheckpoints }), renderCheckpointList);
  } else {
    const [checkpoint, ...paths] = args;
    if (checkpoint === undefined) throw new SpecmapError('USAGE', '--restore-checkpoint needs <session> <checkpoint>');
    const result = await withProgress(ctx, undefined, (onProgress) => withCliHints(restoreCheckpoint({
      cwd: ctx.cwd, session: flags.restoreCheckpoint!, checkpoint, paths, inPlace: flags.inPlace, force: flags.force, onProgress,
    })));
    for (const s of result.skipped) ctx.out.warn(s);
    ctx.out.result(result, (r) => renderRestoredCheckpoint(r, ctx.verbose));
  }
}
