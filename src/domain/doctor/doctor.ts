import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { catalogBackups } from '../backup/catalog.js';
import { writeDailyExport, writeMilestoneExport } from '../backup/export-files.js';
import { dailyDir } from '../backup/layout.js';
import { manifestTimestamp } from '../backup/manifest.js';
import { localDate, localTime, now } from '../../shared/clock.js';
import { STATUS, checkpointDescription, checkpointManifestYaml, checkpointMessage } from '../checkpoint/records.js';
import { isSpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, abs, checkpointTagName, sessionBackupRel, sessionRefName, sessionRelDir } from '../../shared/layout.js';
import { withProjectLock, type Project } from '../project/project.js';
import { listSessionHandles, loadSession, saveSession, sessionIdsOfAllWorktrees, type SessionHandle } from '../session/store.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';
import { queueBackup, writeSessionBackup } from '../backup/session-backup.js';
import { verifyBackups } from '../backup/verify.js';
import { ensureLayout } from '../project/init.js';
import { settleLocked } from '../project/settle.js';
import { summariesPresent, updateTrackingTable, writeDailySummary } from '../session/tracking-summary.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { sortedEntries } from '../../storage/fs/read-dir.js';
import { pathText } from '../../shared/path-text.js';
import { processAlive } from '../../shared/process-alive.js';
import { tempNameOwner } from '../../shared/temp-name.js';
import { staleLeftovers, sweepLeftoversLocked } from '../project/leftovers.js';
import { pendingAgentEventsFile, pendingCommitsFile, staleTakenQueues } from '../project/queues.js';
import { changedFiles } from '../../storage/git/snapshot.js';
import { commitsBetween, trailer } from '../../storage/git/commits.js';
import { createAnnotatedTag } from '../../storage/git/tags.js';
import { existingObjects, unreadableObjects } from '../../storage/git/diff.js';
import { listRefs, readRef, updateRef, deleteRef } from '../../storage/git/refs.js';
import { mergeNotes } from '../../storage/git/notes.js';
import { NOTES_REF } from '../attribution/trace-record.js';

export interface Finding {
  /** A stable name for the kind of problem (tests and --json match on it). */
  check: string;
  /** What it is about: a session id, a path, a ref. */
  subject: string;
  message: string;
  /** Whether `--fix` knows a repair that loses nothing. */
  fixable: boolean;
  fixed: boolean;
}

export interface DoctorResult {
  findings: Finding[];
  fixed: number;
  /** Problems left after the run (unfixable, or found without --fix). */
  remaining: number;
}

/** The temp names of older specmap versions (`.<name>.<pid>.<n>.tmp`), looked for only where they wrote them. */
const LEGACY_TEMP_RE = /^\..+\.\d+\.\d+\.tmp$/s;

/**
 * Checks every session folder, session.yaml, ref, tag and backup against each other and, with `fix`, repairs what
 * can be repaired without deleting user data: finishes interrupted `end`s, records checkpoints that reached git but
 * not session.yaml, recreates missing tags and refs, re-exports lost backups from their git copies, and removes
 * specmap's own leftover temp files. Takes the repository lock itself, so it never races a running command, and
 * settles queued hook work only when fixing: a check that settled first would hide what it is there to report.
 *
 * The checks make a plan (each finding with its repair) before anything is repaired, in two rounds: specmap's own
 * leftovers (then, fixing, queued work is settled), then sessions, refs and backups. `dryRun` makes the same plan
 * and repairs nothing: the fixable findings are what `fix` would repair.
 */
export async function doctor(project: Project, opts: { fix?: boolean; dryRun?: boolean } = {}): Promise<DoctorResult> {
  return withProjectLock(project, async () => {
    const fix = (opts.fix ?? false) && !opts.dryRun;
    const planned: Planned[] = [];
    let laidOut = false;
    const report: Report = async (check, subject, message, repair) => {
      planned.push({ finding: { check, subject, message, fixable: repair !== undefined, fixed: false }, repair });
    };
    const repairAll = async (from: number) => {
      for (const p of planned.slice(from)) {
        if (!p.repair) continue;
        // Repairs write summaries, archives and ZIPs into the layout, which a project whose 04-agents/ came from
        // another tool (the Python SpecMap) may not have yet: create it the way start and end do.
        if (!laidOut) ensureLayout(project);
        laidOut = true;
        await p.repair();
        p.finding.fixed = true;
      }
    };

    await checkTempFiles(project, report);
    if (fix) {
      await repairAll(0);
      await settleLocked(project);
    }
    const second = planned.length;
    await checkSessions(project, report);
    await checkOrphanRefs(project, report);
    await checkLeftNotesRefs(project, report);
    await checkBackups(project, report);
    if (fix) await repairAll(second);

    const findings = planned.map((p) => p.finding);
    const fixed = findings.filter((f) => f.fixed).length;
    return { findings, fixed, remaining: findings.length - fixed };
  });
}

type Repair = () => Promise<void> | void;

/** A finding and the repair `fix` would make (none: nothing repairs it without losing data). */
interface Planned {
  finding: Finding;
  repair: Repair | undefined;
}

type Report = (check: string, subject: string, message: string, repair?: Repair) => Promise<void>;

async function checkTempFiles(project: Project, report: Report): Promise<void> {
  // Our temp names anywhere in the project (an in-place restore stages files beside their targets), never inside
  // .git or through a symbolic link; the older names only in 04-agents/ and at the top level, where they were written.
  const walk = async (dir: Buffer, rel: string, legacy: boolean) => {
    let items;
    try { items = sortedEntries(dir); } catch { return; }
    for (const d of items) {
      const name = d.name.toString('latin1');
      const path = Buffer.concat([dir, Buffer.from('/'), d.name]);
      const relPath = rel ? `${rel}/${pathText(d.name)}` : pathText(d.name);
      const owner = tempNameOwner(name);
      if ((owner !== undefined && (owner === process.pid || !processAlive(owner))) || (legacy && LEGACY_TEMP_RE.test(name))) {
        await report('temp-file', relPath, `leftover temporary ${d.isDirectory() ? 'folder' : 'file'} of an interrupted specmap command`, () =>
          rmSync(path, { recursive: true, force: true }));
      } else if (d.isDirectory() && name !== '.git') {
        await walk(path, relPath, legacy || (rel === '' && name === AGENTS_DIR));
      }
    }
  };
  for (const d of readdirSync(project.root)) {
    if (LEGACY_TEMP_RE.test(d)) await report('temp-file', d, 'leftover temporary file of an interrupted specmap command', () => rmSync(abs(project.root, d), { force: true }));
  }
  await walk(Buffer.from(project.root), '', false);
  for (const dir of new Set([project.git.gitDir, project.git.commonDir])) {
    for (const d of readdirSync(dir)) {
      if (/^specmap-index\.\d+\.\d+(\.lock)?$/.test(d) || /^specmap\.lock\.\d+\.[a-z0-9]+$/.test(d)) {
        await report('temp-file', join(dir, d), 'leftover temporary index or lock file', () => rmSync(join(dir, d), { force: true }));
      }
    }
  }
  const left = staleLeftovers(project);
  for (const p of [...left.journals, ...left.scratch]) {
    await report('temp-file', p, 'leftover staging folder or temp-file journal of a killed specmap command', () => { sweepLeftoversLocked(project); });
  }
  for (const [file, what] of [[pendingCommitsFile(project), 'commits'], [pendingAgentEventsFile(project), 'agent events']] as const) {
    for (const q of staleTakenQueues(file)) {
      await report('stale-queue', q.path, `${q.lines.length} queued ${what} taken by process ${q.pid}, which was killed before finishing them`, () => settleLocked(project));
    }
  }
}

async function checkSessions(project: Project, report: Report): Promise<void> {
  const handles = listSessionHandles(project);
  const byId = new Map<string, SessionHandle[]>();
  for (const h of handles) byId.set(h.id, [...(byId.get(h.id) ?? []), h]);
  for (const [id, hs] of byId) {
    if (hs.length > 1) {
      await report('duplicate-session', id, `${id} is in both active/ and archive/; compare them and remove one by hand`);
      continue;
    }
    const h = hs[0]!;
    let doc: SessionDoc;
    try {
      doc = loadSession(h);
    } catch (err) {
      if (!isSpecmapError(err)) throw err;
      await report('unreadable-session', id, err.message);
      continue;
    }
    await checkCheckpoints(project, h, doc, report);
    if (h.state === 'active' && doc.session.status === 'completed') {
      await report('interrupted-end', id, `${id} is completed but still in active/ (an interrupted end)`, () => finishEnd(project, h, doc));
      continue;
    }
    if (h.state === 'archive' && doc.session.status === 'completed') {
      if (!summariesPresent(project.root, doc)) {
        await report('missing-summary', id, `${id} is missing from the day's session summary or TRACKING.md`, () => {
          const ended = { doc, archiveDir: h.relDir, backup: existsSync(abs(project.root, sessionBackupRel(id))) ? sessionBackupRel(id) : undefined };
          writeDailySummary(project.root, ended);
          updateTrackingTable(project.root, ended);
        });
      }
    }
  }
}

/** The checkpoint chain in git against session.yaml: commits the YAML lacks, tags and refs that are missing. */
async function checkCheckpoints(project: Project, h: SessionHandle, doc: SessionDoc, report: Report): Promise<void> {
  const repo = project.git;
  /** Checkpoints the unrecorded-checkpoint repair adds to session.yaml. */
  const planned: CheckpointEntry[] = [];
  const ref = sessionRefName(h.id);
  const tip = await readRef(repo, ref);
  const commits = doc.checkpoints.map((c) => c.commit).filter((c): c is string => typeof c === 'string');
  const base = doc.git?.base_commit;
  const present = await existingObjects(repo, [...commits, ...(base ? [base] : [])]);
  const lastCheckpoint = [...commits].reverse().find((c) => present.has(c));
  const lastKnown = lastCheckpoint ?? (base && present.has(base) ? base : undefined);

  if (!tip && doc.git) {
    if (commits.length > 0 && !lastCheckpoint) {
      // The checkpoints' commits were pruned (git gc after the ref and tags went): a ref at the base commit would
      // hide that, so this is reported, not "fixed".
      await report('lost-commits', ref, `${ref} is gone and so are the commits of its ${commits.length} checkpoint(s) (pruned from the object store); ${lostCommitsHelp(project, h)}`);
    } else if (lastKnown) {
      const what = lastCheckpoint ? 'its checkpoint commits are' : 'its base commit is';
      await report('missing-ref', ref, `${ref} is gone but ${what} still in the object store`, () =>
        updateRef(repo, ref, lastKnown, undefined, 'specmap doctor: recreate session ref'));
    }
  } else if (tip && lastKnown && tip !== lastKnown) {
    const extra = (await commitsBetween(repo, lastKnown, tip)).filter((c) => trailer(c.message, 'Session-Id') === h.id && trailer(c.message, 'Checkpoint-Id'));
    // Worked out now, written by the repair: the tag check below sees these checkpoints too.
    const entries: { entry: CheckpointEntry; changes: Awaited<ReturnType<typeof changedFiles>> }[] = [];
    for (const c of extra) {
      const id = trailer(c.message, 'Checkpoint-Id')!;
      if (doc.checkpoints.some((e) => e.id === id) || entries.some((e) => e.entry.id === id)) continue;
      const changes = await changedFiles(repo, `${c.oid}^`, c.oid);
      const entry: CheckpointEntry = {
        id,
        time: localTime(c.date),
        description: checkpointDescription(c.message),
        files_snapshot: changes.map((x) => x.path),
        commit: c.oid,
      };
      if (localDate(c.date) !== doc.session.date) entry.date = localDate(c.date);
      entries.push({ entry, changes });
    }
    if (extra.length > 0) {
      await report('unrecorded-checkpoint', h.id, `${extra.length} checkpoint(s) reached git but not session.yaml (an interrupted checkpoint)`, () => {
        for (const { entry, changes } of entries) {
          doc.checkpoints.push(entry);
          writeFileAtomic(abs(h.dir, `snapshots/${entry.id}.yaml`), checkpointManifestYaml({ session: h.id, checkpoint: entry.id, date: entry.date as string | undefined, time: entry.time, description: entry.description }, { commit: entry.commit as string }, changes.map((x) => ({ path: x.path, status: STATUS[x.status] })), 'specmap doctor'));
        }
        saveSession(h, doc);
      });
      for (const { entry } of entries) {
        present.add(entry.commit as string);
        planned.push(entry);
      }
    }
  }

  const inGit = commits.filter((c) => present.has(c));
  const objects = await unreadableObjects(repo, inGit);
  if (objects.missing.length > 0 || objects.error) {
    const what = objects.error ? `git cannot read them (${objects.error})` : `${objects.missing.length} object(s) are missing (${objects.missing.slice(0, 3).map((o) => o.slice(0, 12)).join(', ')}${objects.missing.length > 3 ? ', …' : ''})`;
    const zip = sessionBackupRel(h.id);
    const fallback = existsSync(abs(project.root, zip)) ? `restore takes the files git cannot give from ${zip}` : `no session ZIP holds their files`;
    await report('unreadable-objects', h.id, `the checkpoints of ${h.id} are in git but ${what}; ${fallback}`);
  }

  for (const c of [...doc.checkpoints, ...planned]) {
    if (!c.commit || !present.has(c.commit)) continue;
    const tag = `refs/tags/${checkpointTagName(h.id, c.id)}`;
    if (!(await readRef(repo, tag))) {
      await report('missing-tag', tag, `checkpoint ${c.id} has no tag`, async () => {
        await createAnnotatedTag(repo, { name: checkpointTagName(h.id, c.id), target: c.commit!, message: checkpointMessage({ description: c.description, session: h.id, checkpoint: c.id, agent: doc.session.agent }), date: now() });
      });
    }
  }
}

/** Where the files of a session whose checkpoint commits were pruned can still be read from, as a sentence. */
function lostCommitsHelp(project: Project, h: SessionHandle): string {
  const zip = sessionBackupRel(h.id);
  if (existsSync(abs(project.root, zip))) return `restore still reads the checkpoints' files from ${zip}`;
  return 'no session ZIP holds their files, so restore cannot bring them back';
}

/** Completes an `end` that stopped after session.yaml was written: move, summaries, and the owed ZIP. */
async function finishEnd(project: Project, h: SessionHandle, doc: SessionDoc): Promise<void> {
  const archiveRel = sessionRelDir('archive', h.id);
  renameSync(h.dir, abs(project.root, archiveRel));
  const zip = sessionBackupRel(h.id);
  const ended = { doc, archiveDir: archiveRel, backup: zip };
  writeDailySummary(project.root, ended);
  updateTrackingTable(project.root, ended);
  if (!existsSync(abs(project.root, zip))) queueBackup(project, h.id);
  await settleLocked(project);
}

/**
 * The private ref a notes write works on (refs/notes/tmp/specmap-<pid>-<hex>, storage/git/notes.ts) outlives a
 * writer that was killed before it swapped and cleaned up. Its notes are merged into refs/notes/specmap (lines of
 * both kept, none twice), then it goes. Lock held, so no live writer that takes the lock is mid-write; one whose
 * process is still alive is left alone all the same.
 */
async function checkLeftNotesRefs(project: Project, report: Report): Promise<void> {
  for (const { ref, oid } of await listRefs(project.git, 'refs/notes/tmp/')) {
    const pid = /^refs\/notes\/tmp\/specmap-(\d+)-[0-9a-f]+$/.exec(ref)?.[1];
    if (pid === undefined || (Number(pid) !== process.pid && processAlive(Number(pid)))) continue;
    await report('left-notes-ref', ref, `${ref} was left by a notes write that was stopped; --fix merges its notes into ${NOTES_REF} and deletes it`, async () => {
      await mergeNotes(project.git, NOTES_REF, ref);
      await deleteRef(project.git, ref, oid);
    });
  }
}

async function checkOrphanRefs(project: Project, report: Report): Promise<void> {
  // Another worktree's sessions are live: their refs are shared, their folders are not here.
  const ids = await sessionIdsOfAllWorktrees(project);
  for (const { ref, oid } of await listRefs(project.git, 'refs/sessions/')) {
    const id = ref.slice('refs/sessions/'.length);
    if (ids.has(id)) continue;
    const parked = `refs/specmap/orphaned/${id}`;
    await report('orphan-ref', ref, `${ref} has no session folder (an interrupted start, or a deleted folder); --fix parks it at ${parked}`, async () => {
      await updateRef(project.git, parked, oid, undefined, 'specmap doctor: park orphaned session ref');
      await deleteRef(project.git, ref, oid);
    });
  }
}

/**
 * Every backup: a daily or milestone backup whose ZIP or manifest is gone is exported again from its git copy;
 * every other one goes through `backup verify` (archive hash, entry check, manifest, git copy), and one that fails
 * is written again from what it was made of when that is intact: a daily or milestone backup from its git copy
 * (also when the ZIP and the copy disagree after a kill between the ref's move and the folder's), a session ZIP
 * from the archived workspace and the checkpoints, when every checkpoint commit is still in git.
 */
async function checkBackups(project: Project, report: Report): Promise<void> {
  const backups = await catalogBackups(project);
  const verify = new Map((await verifyBackups(project, {})).map((r) => [`${r.kind} ${r.name} ${r.zip}`, r]));
  for (const b of backups) {
    const subject = `${b.kind} ${b.name}`;
    if (b.kind !== 'session' && b.ref && b.refExists) {
      const manifestOk = b.manifest !== undefined && existsSync(abs(project.root, b.manifest));
      if (!b.zipExists || !manifestOk) {
        await report('lost-backup-export', subject, `the ZIP or manifest of ${b.kind} backup ${b.name} is missing; --fix exports it again from ${b.ref}`, () =>
          reexport(project, b.kind as 'daily' | 'milestone', b.name, b.ref!));
        continue;
      }
    }
    const r = verify.get(`${b.kind} ${b.name} ${b.zip}`);
    if (!r || r.ok || b.format === 'folder') continue;
    const what = r.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.problem}` : p.problem)).join('; ') + (r.problems.length > 3 ? `; and ${r.problems.length - 3} more` : '');
    if (b.kind !== 'session') {
      if (b.ref && b.refExists) {
        await report('corrupt-backup', subject, `${b.zip} fails verification (${what}); --fix exports it again from ${b.ref}`, () =>
          reexport(project, b.kind as 'daily' | 'milestone', b.name, b.ref!));
      } else {
        await report('corrupt-backup', subject, `${b.zip} fails verification (${what}) and has no git copy to export it again from`);
      }
      continue;
    }
    const rewrite = await sessionRewrite(project, b.name);
    if (rewrite.ok) {
      await report('corrupt-backup', b.zip, `${b.zip} fails verification (${what}); it can be written again from the archived workspace and the checkpoints in git`, rewrite.repair);
    } else {
      await report('corrupt-backup', b.zip, `${b.zip} fails verification (${what}); ${rewrite.why}`);
    }
  }
}

/** Whether a session ZIP can be written again losing nothing: its session is archived and every checkpoint commit is in git. */
async function sessionRewrite(project: Project, id: string): Promise<{ ok: true; repair: () => Promise<void> } | { ok: false; why: string }> {
  const h = listSessionHandles(project).find((x) => x.id === id);
  if (!h || h.state !== 'archive') return { ok: false, why: 'no archived session to write it again from; left as it is' };
  let doc: SessionDoc;
  try {
    doc = loadSession(h);
  } catch (err) {
    if (!isSpecmapError(err)) throw err;
    return { ok: false, why: `its session.yaml is unreadable (${err.message}); left as it is` };
  }
  const commits = doc.checkpoints.map((c) => c.commit).filter((c): c is string => typeof c === 'string');
  const present = await existingObjects(project.git, commits);
  const missing = commits.filter((c) => !present.has(c));
  if (missing.length > 0) return { ok: false, why: `${missing.length} checkpoint commit(s) are gone from git, so the ZIP may be their only copy; left as it is` };
  return { ok: true, repair: async () => { await writeSessionBackup(project, h, doc); } };
}

async function reexport(project: Project, kind: 'daily' | 'milestone', name: string, ref: string): Promise<void> {
  const commit = (await readRef(project.git, `${ref}^{commit}`))!;
  const timestamp = manifestTimestamp(now());
  const recovered_by = 'specmap doctor';
  if (kind === 'daily') {
    await writeDailyExport(project, commit, { date: name, timestamp, backup_path: dailyDir(name), git: { ref, commit }, recovered_by });
  } else {
    await writeMilestoneExport(project, commit, { name, timestamp, git: { tag: ref, commit }, recovered_by });
  }
}
