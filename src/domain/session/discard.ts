import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { ACTIVE_DIR, ARCHIVE_DIR, abs, checkpointTagName, sessionBackupChecksumRel, sessionBackupManifestRel, sessionBackupRel, sessionRefName, sessionRelDir } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { ensureLayout } from '../project/init.js';
import { settleLocked } from '../project/settle.js';
import { filesNotIn, sessionEnd } from '../checkpoint/pending-work.js';
import { verifyBackups, type VerifyResult } from '../backup/verify.js';
import { writeSessionBackup } from '../backup/session-backup.js';
import { listSessionHandles, loadSession, resolveSession } from './store.js';
import type { SessionDoc } from './session-file.js';
import { updateTrackingTable, writeDailySummary } from './tracking-summary.js';
import { locateSession, worktreeProjects, type PlacedSession } from './worktrees.js';
import { buildDir, buildFile } from '../../storage/fs/replace-dir.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { refContaining } from '../../storage/git/commits.js';
import { readRef } from '../../storage/git/refs.js';
import { ignoredFiles, removeWorktree } from '../../storage/git/worktree.js';

/** The files of a session's ZIP backup, project-relative: the ZIP, its manifest, its .sha256. */
const backupFiles = (id: string) => [sessionBackupRel(id), sessionBackupManifestRel(id), sessionBackupChecksumRel(id)];

const listed = (items: string[]) => `${items.slice(0, 10).join(', ')}${items.length > 10 ? ` and ${items.length - 10} more` : ''}`;

/**
 * The session `ref` names for `end --discard`, in the linked worktree that holds it. A copy that an interrupted
 * discard already put in this worktree's archive does not count: the worktree it came from is the one to remove.
 */
export async function placeForDiscard(project: Project, ref: string): Promise<PlacedSession> {
  const placed = await locateSession(project, ref);
  if (!placed.here) return placed;
  for (const t of await worktreeProjects(project)) {
    if (t.project === project || t.main) continue;
    const handle = listSessionHandles(t.project).find((h) => h.id === placed.handle.id);
    if (handle) return { project: t.project, handle, here: false, main: false, worktree: t.worktree };
  }
  return placed;
}

export interface DiscardCheck {
  /** Git-ignored files the worktree holds (a wholly ignored folder as one entry ending in /), deleted with it. */
  ignored: string[];
  /** Sessions found in other worktrees (their folders in this one are copies). */
  elsewhere: string[];
}

/**
 * Everything `end --discard` must know before it writes anything: the session lives in a linked worktree other
 * than this one, git may remove that worktree (not locked), and removing it loses nothing — no file differs from
 * the session's last checkpoint (secret files included), its HEAD is held by some ref, it holds no other session,
 * and (unless `force`) it holds no git-ignored files. Settles the worktree's queued hook work first. Lock held.
 */
export async function checkDiscard(project: Project, placed: PlacedSession, force: boolean): Promise<DiscardCheck> {
  const id = placed.handle.id;
  const dir = placed.project.root;
  if (placed.main) throw new SpecmapError('CONFLICT', `${id} lives in the main worktree (${dir}), which git never removes; --discard is for the worktrees specmap fork makes`, { kind: 'main-worktree' });
  if (placed.here) {
    throw new SpecmapError('CONFLICT', `${id} lives in this worktree (${dir}), which cannot remove itself: run it from another one (specmap -C <main worktree> end ${id} --discard)`, { kind: 'discard-here' });
  }
  if (placed.worktree?.locked !== undefined) {
    throw new SpecmapError('CONFLICT', `the worktree ${dir} is locked (git worktree lock${placed.worktree.locked ? `: ${placed.worktree.locked}` : ''}); unlock it first (git worktree unlock ${dir})`, { kind: 'worktree-locked' });
  }
  await settleLocked(placed.project);
  const doc = loadSession(resolveSession(placed.project, id));
  const others = listSessionHandles(placed.project).filter((h) => h.id !== id).map((h) => h.id);
  const elsewhere = new Set((await worktreeProjects(project)).filter((t) => t.project.root !== dir).flatMap((t) => listSessionHandles(t.project).map((h) => h.id)));
  const onlyThere = others.filter((o) => !elsewhere.has(o));
  if (onlyThere.length > 0) {
    throw new SpecmapError('CONFLICT', `${dir} also holds session(s) found in no other worktree: ${listed(onlyThere)}; end --discard them first (nothing was changed)`, { kind: 'other-sessions' });
  }
  const stray = strayRecords(placed.project, new Set([id, ...elsewhere]));
  if (stray.length > 0) {
    throw new SpecmapError('CONFLICT', `${dir} holds folders under 04-agents/sessions/ that are no session found elsewhere (restored copies, say), which no checkpoint has: ${listed(stray)}; move them out first (nothing was changed)`, { kind: 'stray-records', files: stray });
  }
  const tip = await sessionEnd(placed.project, id, doc);
  const unsaved = await filesNotIn(placed.project, tip);
  if (unsaved.length > 0) {
    throw new SpecmapError('CONFLICT', `${unsaved.length} file(s) in ${dir} differ from the last checkpoint of ${id}: ${listed(unsaved)}; checkpoint them first (specmap -C ${dir} checkpoint ${id} "<description>"; a secret file only when named), or delete them (nothing was changed)`, { kind: 'not-checkpointed', files: unsaved });
  }
  const head = placed.worktree?.head;
  if (head && !(await refContaining(project.git, head))) {
    throw new SpecmapError('CONFLICT', `HEAD of ${dir} (${head.slice(0, 12)}) is held by no branch, tag or session: put a branch on it first (git -C ${dir} branch <name>) (nothing was changed)`, { kind: 'unreferenced-head' });
  }
  const ignored = await ignoredFiles(placed.project.git, backupFiles(id));
  if (ignored.length > 0 && !force) {
    throw new SpecmapError('CONFLICT', `${dir} holds git-ignored files, which no checkpoint has and which would go with the worktree: ${listed(ignored)} (nothing was changed)`, { kind: 'ignored-files', files: ignored });
  }
  return { ignored, elsewhere: [...elsewhere] };
}

/**
 * What the worktree holds under sessions/active/ and sessions/archive/ besides the sessions named in `known`: a
 * checkpoint's or a ZIP's `-restored` copy, a stray file. Checkpoints leave those folders out, so only this finds them.
 */
function strayRecords(p: Project, known: Set<string>): string[] {
  const out: string[] = [];
  for (const rel of [ACTIVE_DIR, ARCHIVE_DIR]) {
    const dir = abs(p.root, rel);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (!known.has(name)) out.push(`${rel}/${name}`);
  }
  return out.sort();
}

export interface DiscardOutcome {
  /** The worktree removed. */
  worktree: string;
  /** Where the session now lives, in this worktree (project-relative, trailing slash). */
  archive: string;
  /** The session ZIP, verified, in this worktree: its path, entries and size. */
  backup: { path: string; entries: number; bytes: number };
  /** The git refs kept: the session ref, every checkpoint tag. */
  refs: string[];
  /** Git-ignored files deleted with the worktree (--force). */
  deletedIgnored: string[];
  summaryFile: string;
  trackingFile: string;
  doc: SessionDoc;
}

/** Copies a file into place beside `dest` and renames it (never half-written); an identical one already there is kept. */
async function carryFile(src: string, dest: string, shown: string): Promise<void> {
  if (existsSync(dest)) {
    if (readFileSync(dest).equals(readFileSync(src))) return;
    throw new SpecmapError('CONFLICT', `${shown} already exists here and differs from the discarded worktree's: move it away first (nothing was removed)`, { kind: 'destination-exists' });
  }
  await buildFile(dest, (tmp) => copyFileSync(src, tmp), { shown });
}

/**
 * The second half of `end --discard`, once the session is ended (archived in its own worktree): its ZIP is verified
 * (written first when missing), copied into this worktree's backups/sessions/ and verified again there; its archived
 * folder is copied into this worktree's archive/ and the day's summary and TRACKING.md here record it; only then is
 * the worktree removed (`git worktree remove --force`, after checkDiscard found nothing there that would be lost).
 * Kept: refs/sessions/<id> (every checkpointed state), the checkpoint tags, the transcript and metadata refs, the
 * ZIP and the archived folder. Removed: the worktree's files and its private git dir (HEAD, index, caches). Every
 * step can be run again after an interruption. Lock held.
 */
export async function discardWorktree(project: Project, placed: PlacedSession, check: DiscardCheck): Promise<DiscardOutcome> {
  const id = placed.handle.id;
  const fork = placed.project;
  const h = resolveSession(fork, id, { states: ['archive'] });
  const doc = loadSession(h);
  ensureLayout(project);

  // The ZIP: there (verified), then here (verified), before anything goes.
  const [zipRel] = backupFiles(id);
  const hereZip = existsSync(abs(project.root, zipRel!));
  if (!existsSync(abs(fork.root, zipRel!)) && !hereZip) await writeSessionBackup(fork, h, doc);
  if (existsSync(abs(fork.root, zipRel!))) {
    await verified(fork, zipRel!, 'in the worktree');
    for (const rel of backupFiles(id)) {
      const src = abs(fork.root, rel);
      if (existsSync(src)) await carryFile(src, insideProject(project.root, rel), rel);
    }
  }
  const copy = await verified(project, zipRel!, 'copied here');

  // The archived folder: copied whole (built aside, then renamed in); the same folder already here is replaced.
  const archiveRel = sessionRelDir('archive', id);
  const dest = insideProject(project.root, archiveRel);
  if (existsSync(dest)) {
    const same = existsSync(abs(dest, 'session.yaml')) && readFileSync(abs(dest, 'session.yaml')).equals(readFileSync(abs(h.dir, 'session.yaml')));
    if (!same) throw new SpecmapError('CONFLICT', `${archiveRel} already exists here and is not this session's archived folder: move it away first (nothing was removed)`, { kind: 'destination-exists' });
  }
  await buildDir(dest, (staging) => cpSync(h.dir, staging, { recursive: true, verbatimSymlinks: true, errorOnExist: true }), { shown: archiveRel });
  const ended = { doc, archiveDir: archiveRel, backup: zipRel };
  const summaryFile = writeDailySummary(project.root, ended);
  const trackingFile = updateTrackingTable(project.root, ended);

  // Looked at again just before the removal: an agent or an editor still running there may have written since.
  const unsaved = await filesNotIn(fork, await sessionEnd(fork, id, doc));
  const stray = strayRecords(fork, new Set([id, ...check.elsewhere]));
  if (unsaved.length > 0 || stray.length > 0) {
    const what = [...unsaved, ...stray];
    throw new SpecmapError('CONFLICT', `${fork.root} changed while it was being discarded: ${listed(what)}; the session is ended and its ZIP and archive are here, the worktree is kept (checkpoint or move them, then run end --discard again)`, { kind: 'not-checkpointed', files: what });
  }
  await removeWorktree(project.git, fork.root, true);

  const refs = [sessionRefName(id), ...doc.checkpoints.map((c) => `refs/tags/${checkpointTagName(id, c.id)}`)];
  const kept: string[] = [];
  for (const r of refs) if (await readRef(project.git, r)) kept.push(r);
  return { worktree: fork.root, archive: `${archiveRel}/`, backup: { path: zipRel!, entries: copy.files, bytes: statSync(abs(project.root, zipRel!)).size }, refs: kept, deletedIgnored: check.ignored, summaryFile, trackingFile, doc };
}

/** CORRUPT_DATA unless the session ZIP at `rel` in `p` verifies (archive hash, every entry, manifest, git copy). */
async function verified(p: Project, rel: string, where: string): Promise<VerifyResult> {
  const [r] = await verifyBackups(p, { target: rel });
  if (!r || !r.ok) {
    const why = r ? r.problems.map((x) => `${x.path ? `${x.path}: ` : ''}${x.problem}`).slice(0, 3).join('; ') : 'it is missing';
    throw new SpecmapError('CORRUPT_DATA', `the session ZIP ${rel} ${where} does not verify (${why}); the worktree was not removed`, { kind: 'backup-unverified' });
  }
  return r;
}
