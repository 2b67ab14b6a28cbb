import { listBackups, type ListBackupsResult } from '../../../api/list-backups.js';
import { listCheckpoints, type ListCheckpointsResult } from '../../../api/list-checkpoints.js';
import { restoreBackup, type RestoreBackupResult } from '../../../api/restore-backup.js';
import { restoreCheckpoint, type RestoreCheckpointResult } from '../../../api/restore-checkpoint.js';
import { restoreProjectBackup, type RestoreProjectBackupResult } from '../../../api/restore-project-backup.js';
import { SpecmapError } from '../../../shared/errors.js';
import { withCliHints } from '../hints.js';
import { dryRunNote } from '../dry-run.js';
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
  dryRun?: boolean;
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
  const lines = [`♻️  ${r.dry_run ? 'Would restore' : 'Restored'} ${r.session_id}:${r.checkpoint_id} from ${from}`];
  lines.push(`${r.destination === '.' ? '📁 Into the working tree' : `📁 Into ${r.destination}`}: ${count(r.written.length, 'file')}${r.dry_run ? ' to write' : ''}`);
  lines.push(...nameLines(r.written, verbose));
  if (r.deleted.length > 0) lines.push(`🗑  ${r.destination === '.' ? `${r.dry_run ? 'Would remove' : 'Removed'} (absent at that checkpoint)` : 'Absent at that checkpoint'}: ${r.deleted.join(', ')}`);
  if (r.safety) {
    lines.push(r.safety.commit === null
      ? `💾 Safety checkpoint first: ${r.safety.session_id}:${r.safety.checkpoint_id} (its id if taken now)`
      : `💾 Safety checkpoint first: ${r.safety.session_id}:${r.safety.checkpoint_id} (${r.safety.commit.slice(0, 12)})`);
    if (!r.dry_run) lines.push(`↩️  Undo: ${r.safety.undo}`);
  }
  return [...lines, ...dryRunNote(r)].join('\n');
}

const fetchedLine = (fetched: string[]) => (fetched.length > 0 ? `\n☁️  Fetched first from the off-site copy: ${fetched.join(', ')}` : '');

export function renderRestoredBackup(r: RestoreBackupResult): string {
  return `♻️  Restored ${r.session_id} from ${r.backup}${fetchedLine(r.fetched)}\n📁 Into ${r.destination} (${count(r.files, 'file')})`;
}

export function renderRestoredProjectBackup(r: RestoreProjectBackupResult): string {
  const from = { zip: 'its ZIP', git: 'the git copy', folder: 'its folder copies' }[r.source];
  return `♻️  Restored ${r.kind} backup ${r.name} from ${from}${fetchedLine(r.fetched)}\n📁 Into ${r.destination} (${count(r.files, 'file')})`;
}

/** What restoring a checkpoint takes, whichever form named it. */
export interface CheckpointFlags {
  inPlace?: boolean;
  force?: boolean;
  /** With inPlace: say what would be written and removed, write nothing. */
  dryRun?: boolean;
}

/** What restoring a session ZIP or a daily or milestone backup takes. */
export interface BackupRestoreFlags {
  to?: string;
  /** An off-site copy, or true for the configured one. */
  from?: string | true;
  force?: boolean;
}

/** `specmap restore checkpoint <session>:<checkpoint> [paths...]` (also `<session> <checkpoint> [paths...]`). */
export async function runCheckpoint(ctx: CommandContext, target: string, rest: string[], flags: CheckpointFlags): Promise<void> {
  const colon = target.indexOf(':');
  if (colon >= 0) return restoreOneCheckpoint(ctx, target.slice(0, colon), target.slice(colon + 1), rest, flags);
  const [checkpoint, ...paths] = rest;
  if (checkpoint === undefined) throw new SpecmapError('USAGE', `restore checkpoint needs <session>:<checkpoint>, e.g. ${target}:~0 (or ${target} <checkpoint>)`);
  return restoreOneCheckpoint(ctx, target, checkpoint, paths, flags);
}

async function restoreOneCheckpoint(ctx: CommandContext, session: string, checkpoint: string, paths: string[], flags: CheckpointFlags): Promise<void> {
  if (flags.dryRun && !flags.inPlace) throw new SpecmapError('USAGE', '--dry-run goes with --in-place');
  const result = await withProgress(ctx, undefined, (onProgress) => withCliHints(restoreCheckpoint({
    cwd: ctx.cwd, session, checkpoint, paths, inPlace: flags.inPlace, force: flags.force, dryRun: flags.dryRun, onProgress,
  })));
  for (const s of result.skipped) ctx.out.warn(s);
  ctx.out.result(result, (r) => renderRestoredCheckpoint(r, ctx.verbose));
}

/** `specmap restore backup <session>`: the session ZIP to sessions/active/<id>-restored/. */
export async function runBackup(ctx: CommandContext, session: string, flags: BackupRestoreFlags): Promise<void> {
  const phase = flags.from !== undefined ? 'download' : 'check';
  const r = await withProgress(ctx, phase, (onProgress) => withCliHints(restoreBackup({ cwd: ctx.cwd, session, force: flags.force, from: flags.from, onProgress }), 'specmap restore list-backups'));
  ctx.out.result(r, renderRestoredBackup);
}

async function restoreProject(ctx: CommandContext, kind: 'daily' | 'milestone', name: string, flags: BackupRestoreFlags): Promise<void> {
  const phase = flags.from !== undefined ? 'download' : 'check';
  const r = await withProgress(ctx, phase, (onProgress) => withCliHints(restoreProjectBackup({ cwd: ctx.cwd, kind, name, to: flags.to, force: flags.force, from: flags.from, onProgress }), 'specmap backup list'));
  for (const n of r.notes) ctx.out.warn(n);
  ctx.out.result(r, renderRestoredProjectBackup);
}

/** `specmap restore daily <date>`. */
export function runDaily(ctx: CommandContext, date: string, flags: BackupRestoreFlags): Promise<void> {
  return restoreProject(ctx, 'daily', date, flags);
}

/** `specmap restore milestone <name>`. */
export function runMilestone(ctx: CommandContext, name: string, flags: BackupRestoreFlags): Promise<void> {
  return restoreProject(ctx, 'milestone', name, flags);
}

/** `specmap restore list-checkpoints <session>`. */
export async function runListCheckpoints(ctx: CommandContext, session: string): Promise<void> {
  ctx.out.result(await listCheckpoints({ cwd: ctx.cwd, session }), renderCheckpointList);
}

/** `specmap restore list-backups`: the session ZIPs. */
export async function runListBackups(ctx: CommandContext): Promise<void> {
  ctx.out.result(await listBackups({ cwd: ctx.cwd, kind: 'session' }), renderBackups);
}

const COMMANDS = 'checkpoint, backup, daily, milestone, list-checkpoints or list-backups';

/**
 * `specmap restore --list-backups | --restore-backup <session> | --list-checkpoints <session> | --restore-checkpoint
 * <session> <checkpoint> [paths...] | --restore-daily <date> | --restore-milestone <name>`: the spec's forms, each
 * the same as one of the subcommands above (commander has already refused two modes at once).
 */
export async function run(ctx: CommandContext, checkpoint: string | undefined, paths: string[], flags: RestoreFlags): Promise<void> {
  const args = checkpoint === undefined ? [] : [checkpoint, ...paths];
  const noArgs = (what: string) => {
    if (args.length > 0) throw new SpecmapError('USAGE', `${what} takes no further arguments (got ${args.join(' ')})`);
  };
  const mode = [
    flags.listBackups && '--list-backups', flags.restoreBackup !== undefined && '--restore-backup', flags.listCheckpoints !== undefined && '--list-checkpoints',
    flags.restoreCheckpoint !== undefined && '--restore-checkpoint', flags.restoreDaily !== undefined && '--restore-daily', flags.restoreMilestone !== undefined && '--restore-milestone',
  ].find(Boolean);
  if (!mode) {
    if (checkpoint !== undefined) throw new SpecmapError('USAGE', `restore takes ${COMMANDS}, not ${JSON.stringify(checkpoint)} (see specmap restore --help)`);
    throw new SpecmapError('USAGE', `restore needs a command: ${COMMANDS} (or the spec's --list-backups, --restore-backup <session>, --list-checkpoints <session>, --restore-checkpoint <session> <checkpoint>, --restore-daily <date>, --restore-milestone <name>)`);
  }
  if (flags.to !== undefined && !flags.restoreDaily && !flags.restoreMilestone) throw new SpecmapError('USAGE', '--to goes with --restore-daily or --restore-milestone');
  if (flags.from !== undefined && flags.restoreBackup === undefined && flags.restoreDaily === undefined && flags.restoreMilestone === undefined) {
    throw new SpecmapError('USAGE', '--from goes with --restore-backup, --restore-daily or --restore-milestone');
  }
  if (flags.dryRun && !flags.inPlace) throw new SpecmapError('USAGE', '--dry-run goes with --restore-checkpoint … --in-place');
  if (flags.inPlace && !flags.restoreCheckpoint) throw new SpecmapError('USAGE', '--in-place goes with --restore-checkpoint');
  if (flags.restoreCheckpoint !== undefined) {
    if (checkpoint === undefined) throw new SpecmapError('USAGE', '--restore-checkpoint needs <session> <checkpoint>');
    return restoreOneCheckpoint(ctx, flags.restoreCheckpoint, checkpoint, paths, flags);
  }
  noArgs(mode);
  if (flags.listBackups) return runListBackups(ctx);
  if (flags.restoreBackup !== undefined) return runBackup(ctx, flags.restoreBackup, flags);
  if (flags.listCheckpoints !== undefined) return runListCheckpoints(ctx, flags.listCheckpoints);
  return restoreProject(ctx, flags.restoreDaily !== undefined ? 'daily' : 'milestone', (flags.restoreDaily ?? flags.restoreMilestone)!, flags);
}
