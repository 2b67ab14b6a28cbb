import { existsSync, rmSync } from 'node:fs';
import { catalogBackups, type BackupEntry } from './catalog.js';
import { dailyDir } from './layout.js';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { Project } from '../project/project.js';
import { listSessionHandles } from '../session/store.js';
import { deleteRef, listRefDetails, readRef } from '../../storage/git/refs.js';
import { zipOnlyCopyOf } from './zip-coverage.js';

export const DEFAULT_KEEP_DAILY = 14;

export interface PruneOptions {
  /** Newest daily backups to keep (default 14; null keeps them all). */
  keepDaily?: number | null;
  /** Newest milestones to keep; undefined keeps them all. */
  keepMilestones?: number;
  /** Newest session ZIPs of archived sessions to keep; undefined keeps them all. */
  keepSessions?: number;
  dryRun?: boolean;
}

export interface PruneResult {
  dryRun: boolean;
  deleted: { kind: BackupEntry['kind']; name: string; paths: string[] }[];
  /** Backups past what to keep that stay all the same, as the last copy of something (session ZIPs: zipOnlyCopyOf). */
  heldBack: { kind: BackupEntry['kind']; name: string; reason: string }[];
  kept: number;
}

function checkCount(n: number | undefined, flag: string): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
    throw new SpecmapError('INVALID_INPUT', `${flag} wants a whole number of backups to keep, got ${n}`, { kind: 'count' });
  }
}

/** Refuses a count that is not a whole number (before the project is even opened). */
export function checkPruneOptions(opts: PruneOptions): void {
  checkCount(opts.keepDaily ?? undefined, '--keep-daily');
  checkCount(opts.keepMilestones, '--keep-milestones');
  checkCount(opts.keepSessions, '--sessions');
}

/** Newest first: by the time each was written (the name when that is unknown). */
export const backupsByAge = (list: BackupEntry[]) => [...list].sort((a, b) => (b.written ?? b.name).localeCompare(a.written ?? a.name));

/**
 * Deletes one backup as a whole — its ZIP (a daily one's folder), manifest, checksum and git copy — and returns what
 * went (with `dryRun`, what would go, and nothing is deleted). Lock held; the caller has checked the paths with
 * insideProject.
 */
export async function removeBackup(project: Project, b: BackupEntry, dryRun: boolean): Promise<string[]> {
  const folder = b.kind === 'daily' ? (b.folder ?? dailyDir(b.name)) : undefined;
  const paths = [folder !== undefined ? `${folder}/` : b.zip];
  if (b.kind !== 'daily' && b.manifest) paths.push(b.manifest);
  const checksum = b.checksum && existsSync(abs(project.root, b.checksum)) ? b.checksum : undefined;
  if (checksum) paths.push(checksum);
  if (b.ref && b.refExists) paths.push(b.ref);
  if (dryRun) return paths;
  if (folder !== undefined) rmSync(abs(project.root, folder), { recursive: true, force: true });
  else rmSync(abs(project.root, b.zip), { force: true });
  if (checksum) rmSync(abs(project.root, checksum), { force: true });
  if (b.kind !== 'daily' && b.manifest && existsSync(abs(project.root, b.manifest))) rmSync(abs(project.root, b.manifest));
  if (b.ref && b.refExists) {
    const oid = await readRef(project.git, b.ref);
    if (oid) await deleteRef(project.git, b.ref, oid);
  }
  return paths;
}

/** The file a backup's removal starts from (a daily one's folder), for the insideProject check before any deletion. */
export const backupPath = (b: BackupEntry) => (b.kind === 'daily' ? dailyDir(b.name) : b.zip);

/**
 * Deletes the oldest backups beyond what is kept: ZIP (or daily folder), manifest, checksum and git copy together. Session ZIPs of sessions that
 * are still active are never pruned, and an archived session's ZIP goes only when git and the archived folder hold
 * everything in it (zipOnlyCopyOf, the check `gc` makes); the others are held back with the reason. `dryRun` reports
 * the same lists and deletes nothing. Lock held.
 */
export async function pruneBackups(project: Project, opts: PruneOptions): Promise<PruneResult> {
  checkPruneOptions(opts);
  const keepDaily = opts.keepDaily === undefined ? DEFAULT_KEEP_DAILY : opts.keepDaily;
  const all = await catalogBackups(project);
  const active = new Set(listSessionHandles(project, ['active']).map((h) => h.id));
  const heldBack: PruneResult['heldBack'] = [];
  const doomed: BackupEntry[] = [
    ...(keepDaily === null ? [] : backupsByAge(all.filter((b) => b.kind === 'daily')).slice(keepDaily)),
    ...(opts.keepMilestones === undefined ? [] : backupsByAge(all.filter((b) => b.kind === 'milestone')).slice(opts.keepMilestones)),
    ...(opts.keepSessions === undefined ? [] : await coveredSessionZips(project, backupsByAge(all.filter((b) => b.kind === 'session' && !active.has(b.name))).slice(opts.keepSessions), heldBack)),
  ];
  // Checked before the first deletion, so a symlink leading outside the project stops the prune with nothing gone.
  if (!opts.dryRun) for (const b of doomed) insideProject(project.root, backupPath(b));
  const deleted: PruneResult['deleted'] = [];
  for (const b of doomed) deleted.push({ kind: b.kind, name: b.name, paths: await removeBackup(project, b, Boolean(opts.dryRun)) });
  return { dryRun: Boolean(opts.dryRun), deleted, heldBack, kept: all.length - doomed.length };
}

/**
 * The session backups of `candidates` that may go: each whose ZIP holds nothing git and the archived session folder
 * do not (a record whose ZIP is already gone holds nothing). The others are added to `heldBack` with the reason.
 */
async function coveredSessionZips(project: Project, candidates: BackupEntry[], heldBack: PruneResult['heldBack']): Promise<BackupEntry[]> {
  if (candidates.length === 0) return [];
  const refs = await listRefDetails(project.git);
  const archived = listSessionHandles(project, ['archive']);
  const out: BackupEntry[] = [];
  for (const b of candidates) {
    const reason = b.zipExists ? await zipOnlyCopyOf(project, b, archived.find((h) => h.id === b.name), refs) : undefined;
    if (reason) heldBack.push({ kind: b.kind, name: b.name, reason });
    else out.push(b);
  }
  return out;
}
