import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { localDate, localTime, now } from '../../shared/clock.js';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { TRACKING_FILE, abs, sessionBackupRel, sessionRelDir } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { Project } from '../project/project.js';
import { ensureLayout } from '../project/init.js';
import { loadSession, parsedCachePath, sessionFilePath } from './store.js';
import { resolveActiveSession } from './lookup.js';
import { cacheWrittenSession, renderSessionYaml, type SessionDoc } from './session-file.js';
import { queueBackup, writeSessionBackup } from '../backup/session-backup.js';
import { daySummaryRel, updateTrackingTable, writeDailySummary } from './tracking-summary.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { forgetSavedIndex } from '../../storage/git/snapshot.js';
import type { ProgressFn } from '../../shared/progress.js';

export interface EndInput {
  session: string;
  /** RULEMAP score, 0 to 10 (checked with parseScore). */
  score?: number;
  /** Write the session ZIP now (default), queue it for later ('deferred'), or skip it (false). */
  backup?: boolean | 'deferred';
  onProgress?: ProgressFn;
}

export interface EndOutcome {
  id: string;
  durationMinutes: number;
  filesCreated: number;
  filesModified: number;
  checkpoints: number;
  rulemapScore: number | null;
  /** Project-relative archive folder, with a trailing slash. */
  archive: string;
  backup?: { path: string; entries: number; bytes: number; pending?: boolean };
  summaryFile: string;
  trackingFile: string;
  /** What the backup left out, one sentence each. */
  warnings: string[];
}

/**
 * Ends a session: final metadata and metrics, the ZIP backup, the move to archive/, the day's summary and
 * TRACKING.md. The ZIP is written first (from the final metadata) so a failed backup changes nothing. With
 * `backup: 'deferred'` (Claude Code's SessionEnd gives a hook about 1.5 s) the ZIP is queued instead, for
 * completePendingBackups to write from the archived folder. Lock held.
 */
export async function endSession(project: Project, opts: EndInput): Promise<EndOutcome> {
  const h = await resolveActiveSession(project, opts.session, "'specmap end'");
  const doc = loadSession(h);
  const archiveRel = sessionRelDir('archive', h.id);
  if (existsSync(abs(project.root, archiveRel))) {
    throw new SpecmapError('CONFLICT', `${archiveRel} already exists: run 'specmap doctor' before ending ${h.id}`);
  }
  // Every place end writes to, checked before the first write: a symlink leading outside the project stops it here.
  const targets = [archiveRel, daySummaryRel(doc.session.date), TRACKING_FILE];
  if (opts.backup !== false) targets.push(sessionBackupRel(h.id));
  for (const rel of targets) insideProject(project.root, rel);
  ensureLayout(project);

  const at = now();
  finalise(doc, at, opts.score);
  const yamlText = renderSessionYaml(doc);

  const warnings: string[] = [];
  let backup: EndOutcome['backup'];
  if (opts.backup === 'deferred') {
    queueBackup(project, h.id);
    backup = { path: sessionBackupRel(h.id), entries: 0, bytes: 0, pending: true };
  } else if (opts.backup !== false) {
    const written = await writeSessionBackup(project, h, doc, yamlText, opts.onProgress);
    warnings.push(...written.warnings);
    backup = { path: written.path, entries: written.entries, bytes: written.bytes };
  }

  const before = readFileSync(sessionFilePath(h));
  writeFileAtomic(sessionFilePath(h), yamlText);
  try {
    renameSync(h.dir, insideProject(project.root, archiveRel));
  } catch (err) {
    // Leave the session exactly as it was: active, with its old session.yaml.
    writeFileAtomic(sessionFilePath(h), before);
    throw ioError(`move the session to`, archiveRel, err);
  }

  cacheWrittenSession(parsedCachePath(project, 'archive', h.id), yamlText, doc, `${archiveRel}/session.yaml`);
  rmSync(parsedCachePath(project, 'active', h.id), { force: true });
  // Its checkpoints are over: the index kept to speed them up goes too.
  try { forgetSavedIndex(project.git, h.id); } catch { /* a cache */ }

  const ended = { doc, archiveDir: archiveRel, backup: backup?.path };
  const summaryFile = writeDailySummary(project.root, ended);
  const trackingFile = updateTrackingTable(project.root, ended);
  const m = doc.metrics;
  return {
    id: h.id,
    durationMinutes: m.duration_minutes ?? 0,
    filesCreated: m.files_created ?? 0,
    filesModified: m.files_modified ?? 0,
    checkpoints: m.checkpoints ?? 0,
    rulemapScore: doc.rulemap_score,
    archive: `${archiveRel}/`,
    backup,
    summaryFile,
    trackingFile,
    warnings,
  };
}

/**
 * Sets end time, status and score; the final metrics follow from them when session.yaml is rendered. `end_date` is
 * added only when the session crossed midnight.
 */
function finalise(doc: SessionDoc, at: Date, score: number | undefined): void {
  const s = doc.session;
  s.end_time = localTime(at);
  if (localDate(at) !== s.date) s.end_date = localDate(at);
  s.status = 'completed';
  if (score !== undefined) doc.rulemap_score = score;
}
