import { existsSync, rmSync } from 'node:fs';
import { catalogBackups, type BackupEntry } from './catalog.js';
import { dailyDir } from './layout.js';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { Project } from '../project/project.js';
import { listSessionHandles } from '../session/store.js';
import { deleteRef, readRef } from '../../storage/git/refs.js';

export const DEFAULT_KEEP_DAILY = 14;

export interface PruneOptions {
  /** Newest daily backups to keep (default 14). */
  keepDaily?: number;
  /** Newest milestones to keep; undefined keeps them all. */
  keepMilestones?: number;
  /** Newest session ZIPs of archived sessions to keep; undefined keeps them all. */
  keepSessions?: number;
  dryRun?: boolean;
}

export interface PruneResult {
  dryRun: boolean;
  deleted: { kind: BackupEntry['kind']; name: string; paths: string[] }[];
  kept: number;
}

function checkCount(n: number | undefined, flag: string): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
    throw new SpecmapError('INVALID_INPUT', `${flag} wants a whole number of backups to keep, got ${n}`, { kind: 'count' });
  }
}

/** Refuses a count that is not a whole number (before the project is even opened). */
export function checkPruneOptions(opts: PruneOptions): void {
  checkCount(opts.keepDaily, '--keep-daily');
  checkCount(opts.keepMilestones, '--keep-milestones');
  checkCount(opts.keepSessions, '--sessions');
}

/**
 * Deletes the oldest backups beyond what is kept: ZIP (or daily folder), manifest, checksum and git copy together. Session ZIPs of sessions that
 * are still active are never pruned. `dryRun` reports the same list and deletes nothing. Lock held.
 */
export async function pruneBackups(project: Project, opts: PruneOptions): Promise<PruneResult> {
  checkPruneOptions(opts);
  const keepDaily = opts.keepDaily ?? DEFAULT_KEEP_DAILY;
  const all = await catalogBackups(project);
  const active = new Set(listSessionHandles(project, ['active']).map((h) => h.id));
  const byAge = (list: BackupEntry[]) => [...list].sort((a, b) => (b.written ?? b.name).localeCompare(a.written ?? a.name));
  const doomed: BackupEntry[] = [
    ...byAge(all.filter((b) => b.kind === 'daily')).slice(keepDaily),
    ...(opts.keepMilestones === undefined ? [] : byAge(all.filter((b) => b.kind === 'milestone')).slice(opts.keepMilestones)),
    ...(opts.keepSessions === undefined ? [] : byAge(all.filter((b) => b.kind === 'session' && !active.has(b.name))).slice(opts.keepSessions)),
  ];
  // Checked before the first deletion, so a symlink leading outside the project stops the prune with nothing gone.
  if (!opts.dryRun) for (const b of doomed) insideProject(project.root, b.kind === 'daily' ? dailyDir(b.name) : b.zip);
  const deleted: PruneResult['deleted'] = [];
  for (const b of doomed) {
    const folder = b.kind === 'daily' ? (b.folder ?? dailyDir(b.name)) : undefined;
    const paths = [folder !== undefined ? `${folder}/` : b.zip];
    if (b.kind !== 'daily' && b.manifest) paths.push(b.manifest);
    const checksum = b.checksum && existsSync(abs(project.root, b.checksum)) ? b.checksum : undefined;
    if (checksum) paths.push(checksum);
    if (b.ref && b.refExists) paths.push(b.ref);
    deleted.push({ kind: b.kind, name: b.name, paths });
    if (opts.dryRun) continue;
    if (folder !== undefined) rmSync(abs(project.root, folder), { recursive: true, force: true });
    else rmSync(abs(project.root, b.zip), { force: true });
    if (checksum) rmSync(abs(project.root, checksum), { force: true });
    if (b.kind !== 'daily' && b.manifest && existsSync(abs(project.root, b.manifest))) rmSync(abs(project.root, b.manifest));
    if (b.ref && b.refExists) {
      const oid = await readRef(project.git, b.ref);
      if (oid) await deleteRef(project.git, b.ref, oid);
    }
  }
  return { dryRun: Boolean(opts.dryRun), deleted, kept: all.length - doomed.length };
}
