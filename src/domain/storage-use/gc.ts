import { SpecmapError } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { abs, checkpointTagName } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { fileBytes, folderSize } from '../../storage/fs/folder-size.js';
import { countObjects, gcAutoThreshold, packLooseObjects, reachableOnlyFrom } from '../../storage/git/disk-use.js';
import { deleteRef, listRefDetails, type RefDetail } from '../../storage/git/refs.js';
import { catalogBackups, type BackupEntry } from '../backup/catalog.js';
import { backupPath, backupsByAge, pruneBackups, removeBackup } from '../backup/prune.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { listSessionHandles } from '../session/store.js';
import { SAFETY_PREFIX, allRefsBut } from './refs.js';
import { zipOnlyCopyOf } from '../backup/zip-coverage.js';

/** Newest session ZIPs of archived sessions `gc` keeps when neither the flag nor retention.session_zips says. */
export const DEFAULT_KEEP_SESSION_ZIPS = 10;
/** Age in days past which `gc` drops safety snapshots whose content other refs hold, unless told otherwise. */
export const DEFAULT_SAFETY_DAYS = 30;

/** What the caller asked for; each undefined one comes from `retention:` in config.yaml, then the defaults. */
export interface GcInput {
  keepSessionZips?: number;
  sessionZipDays?: number;
  keepDaily?: number;
  keepMilestones?: number;
  safetyDays?: number;
  dropUniqueSafety?: boolean;
  dryRun?: boolean;
}

/** The rules gc applied; null: no such rule. */
export interface GcPolicy {
  keep_session_zips: number | null;
  session_zip_days: number | null;
  keep_daily: number | null;
  keep_milestones: number | null;
  safety_days: number | null;
  drop_unique_safety: boolean;
}

export type GcKind = 'session_zip' | 'daily' | 'milestone' | 'safety_snapshot';

export interface GcResult {
  dry_run: boolean;
  policy: GcPolicy;
  /** What went (with dry_run, what would go). */
  removed: { kind: GcKind; name: string; paths: string[]; bytes: number }[];
  /** What the policy would have dropped but gc kept, because it is the last copy of something. */
  held_back: { kind: GcKind; name: string; reason: string }[];
  /** Bytes of the files removed (or that would be). */
  freed_bytes: number;
  loose_objects: { count: number; gc_auto: number; packed: boolean; after: number | null };
}

const FLAGS: Record<keyof Omit<GcInput, 'dropUniqueSafety' | 'dryRun'>, string> = {
  keepSessionZips: '--keep-session-zips', sessionZipDays: '--older-than', keepDaily: '--keep-daily', keepMilestones: '--keep-milestones', safetyDays: '--safety-older-than',
};

/** Refuses a count or a number of days that is not a whole number (before the project is opened). */
export function checkGcInput(input: GcInput): void {
  for (const [key, flag] of Object.entries(FLAGS)) {
    const n = input[key as keyof typeof FLAGS];
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
      throw new SpecmapError('INVALID_INPUT', `${flag} wants a whole number, 0 or more, got ${n}`, { kind: 'count' });
    }
  }
}

/** The flags over `retention:` in config.yaml over the defaults. */
export function gcPolicy(project: Project, input: GcInput): GcPolicy {
  const r = projectConfig(project).retention;
  const pick = (flag: number | undefined, config: number | null | undefined, fallback: number | null) => (flag !== undefined ? flag : config !== undefined ? config : fallback);
  return {
    keep_session_zips: pick(input.keepSessionZips, r.sessionZips, DEFAULT_KEEP_SESSION_ZIPS),
    session_zip_days: pick(input.sessionZipDays, r.sessionZipDays, null),
    keep_daily: pick(input.keepDaily, r.daily, null),
    keep_milestones: pick(input.keepMilestones, r.milestones, null),
    safety_days: pick(input.safetyDays, r.safetyDays, DEFAULT_SAFETY_DAYS),
    drop_unique_safety: input.dropUniqueSafety ?? r.dropUniqueSafety ?? false,
  };
}

const DAY_MS = 86_400_000;

/** Days since `iso` (a manifest's local timestamp or an ISO time); undefined when it does not parse. */
function ageDays(iso: string | undefined, at: Date): number | undefined {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? undefined : (at.getTime() - t) / DAY_MS;
}

/** Bytes of the files a removal lists (folders with a trailing slash are summed by the caller). */
const filesBytes = (project: Project, paths: string[]) => paths.filter((p) => !p.startsWith('refs/') && !p.endsWith('/')).reduce((n, p) => n + fileBytes(abs(project.root, p)), 0);

/**
 * The session ZIPs the policy lets go: archived (or orphaned) sessions' ZIPs beyond the newest `keep_session_zips`
 * and older than `session_zip_days` (a ZIP either rule keeps stays). Each goes only when nothing but it holds any of
 * its content (zipOnlyCopyOf); the others are held back with the reason.
 */
async function sessionZips(project: Project, policy: GcPolicy, all: BackupEntry[], refs: RefDetail[], dryRun: boolean, out: GcResult): Promise<void> {
  if (policy.keep_session_zips === null && policy.session_zip_days === null) return;
  const handles = listSessionHandles(project);
  const active = new Set(handles.filter((h) => h.state === 'active').map((h) => h.id));
  const zips = backupsByAge(all.filter((b) => b.kind === 'session' && b.zipExists && !active.has(b.name)));
  const at = now();
  const candidates = zips.filter((b, i) => {
    if (policy.keep_session_zips !== null && i < policy.keep_session_zips) return false;
    if (policy.session_zip_days === null) return true;
    const age = ageDays(b.written, at);
    return age !== undefined && age >= policy.session_zip_days;
  });
  const doomed: BackupEntry[] = [];
  for (const b of candidates) {
    const reason = await zipOnlyCopyOf(project, b, handles.find((h) => h.id === b.name && h.state === 'archive'), refs);
    if (reason) out.held_back.push({ kind: 'session_zip', name: b.name, reason });
    else doomed.push(b);
  }
  // Checked before the first deletion, so a symlink leading outside the project stops gc with nothing gone.
  if (!dryRun) for (const b of doomed) insideProject(project.root, backupPath(b));
  for (const b of doomed) {
    const bytes = filesBytes(project, [b.zip, ...(b.manifest ? [b.manifest] : []), ...(b.checksum ? [b.checksum] : [])]);
    out.removed.push({ kind: 'session_zip', name: b.name, paths: await removeBackup(project, b, dryRun), bytes });
  }
}

/**
 * Safety snapshots older than `safety_days` (by their checkpoint's tag) go when every object they reach is also
 * reached by a ref that stays; with `drop_unique_safety`, also those that hold content nothing else has. `gone`: refs
 * already removed (or, in a dry run, that would be), which count as gone.
 */
async function safetySnapshots(project: Project, policy: GcPolicy, refs: RefDetail[], gone: string[], dryRun: boolean, out: GcResult): Promise<void> {
  if (policy.safety_days === null) return;
  const dates = new Map(refs.map((r) => [r.ref, r.date]));
  const at = now();
  for (const r of refs.filter((x) => x.ref.startsWith(SAFETY_PREFIX))) {
    const name = r.ref.slice(SAFETY_PREFIX.length);
    const [session, checkpoint] = name.split('/');
    const date = session && checkpoint ? dates.get(`refs/tags/${checkpointTagName(session, checkpoint)}`) : undefined;
    if (date === undefined) {
      out.held_back.push({ kind: 'safety_snapshot', name, reason: 'its checkpoint tag is gone, so its age is unknown' });
      continue;
    }
    if ((at.getTime() - date * 1000) / DAY_MS < policy.safety_days) continue;
    const only = await reachableOnlyFrom(project.git, [r.ref], allRefsBut([r.ref, ...gone], refs));
    if (only.length > 0 && !policy.drop_unique_safety) {
      out.held_back.push({ kind: 'safety_snapshot', name, reason: `it holds ${only.length} object(s) no other ref has (--drop-unique-safety drops it all the same)` });
      continue;
    }
    if (!dryRun) await deleteRef(project.git, r.ref, r.oid);
    gone.push(r.ref);
    out.removed.push({ kind: 'safety_snapshot', name, paths: [r.ref], bytes: 0 });
  }
}

/**
 * `specmap gc`: applies the retention policy, then packs the loose objects when there are more than git's gc.auto.
 * Never deletes the last copy of anything: a session ZIP goes only when git and the session folder hold all it
 * holds, a safety snapshot only when other refs hold its content (unless drop_unique_safety says otherwise), and
 * daily and milestone backups are pruned (as `backup prune` does) only when a count is given. Lock held.
 */
export async function collectGarbage(project: Project, input: GcInput): Promise<GcResult> {
  checkGcInput(input);
  const dryRun = Boolean(input.dryRun);
  const policy = gcPolicy(project, input);
  const out: GcResult = { dry_run: dryRun, policy, removed: [], held_back: [], freed_bytes: 0, loose_objects: { count: 0, gc_auto: 0, packed: false, after: null } };

  const gone: string[] = [];
  if (policy.keep_daily !== null || policy.keep_milestones !== null) {
    // Their sizes before they go: a daily backup is a folder (ZIP and manifest), a milestone its ZIP and manifest.
    const sizes = new Map((await catalogBackups(project)).map((b) => [`${b.kind}:${b.name}`, b.kind === 'daily'
      ? folderSize(abs(project.root, b.folder ?? backupPath(b))).bytes
      : filesBytes(project, [b.zip, ...(b.manifest ? [b.manifest] : [])])]));
    const pruned = await pruneBackups(project, { keepDaily: policy.keep_daily, keepMilestones: policy.keep_milestones ?? undefined, dryRun });
    for (const d of pruned.deleted) {
      out.removed.push({ kind: d.kind as 'daily' | 'milestone', name: d.name, paths: d.paths, bytes: sizes.get(`${d.kind}:${d.name}`) ?? 0 });
      gone.push(...d.paths.filter((p) => p.startsWith('refs/')));
    }
  }
  const refs = await listRefDetails(project.git);
  await sessionZips(project, policy, await catalogBackups(project), refs, dryRun, out);
  await safetySnapshots(project, policy, refs, gone, dryRun, out);
  out.freed_bytes = out.removed.reduce((n, r) => n + r.bytes, 0);

  const loose = (await countObjects(project.git)).count;
  const threshold = await gcAutoThreshold(project.git);
  const pack = threshold > 0 && loose > threshold;
  if (pack && !dryRun) await packLooseObjects(project.git);
  out.loose_objects = { count: loose, gc_auto: threshold, packed: pack, after: dryRun ? null : pack ? (await countObjects(project.git)).count : loose };
  return out;
}
