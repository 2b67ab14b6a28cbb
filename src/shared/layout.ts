import { join } from 'node:path';

/** The spec's folder layout, relative to the project root (POSIX separators, as shown to users). */
export const AGENTS_DIR = '04-agents';
export const ACTIVE_DIR = `${AGENTS_DIR}/sessions/active`;
export const ARCHIVE_DIR = `${AGENTS_DIR}/sessions/archive`;
export const BACKUPS_DIR = `${AGENTS_DIR}/backups`;
export const SESSION_BACKUPS_DIR = `${BACKUPS_DIR}/sessions`;
export const DAILY_BACKUPS_DIR = `${BACKUPS_DIR}/daily`;
export const MILESTONE_BACKUPS_DIR = `${BACKUPS_DIR}/milestones`;
export const SUMMARIES_DIR = `${AGENTS_DIR}/session-summaries`;
export const TRACKING_FILE = 'TRACKING.md';
/** Generated reports: git-ignored, never in a checkpoint or a backup. */
export const REPORTS_DIR = `${AGENTS_DIR}/reports`;
/** Where `specmap report` writes its HTML unless told otherwise. */
export const REPORT_FILE = `${REPORTS_DIR}/report.html`;
/** Where `specmap report` wrote by default before 04-agents/reports/: still left out of checkpoints. */
export const LEGACY_REPORT_FILE = 'specmap-report.html';

export const LAYOUT_DIRS = [
  ACTIVE_DIR,
  ARCHIVE_DIR,
  SESSION_BACKUPS_DIR,
  DAILY_BACKUPS_DIR,
  MILESTONE_BACKUPS_DIR,
  SUMMARIES_DIR,
] as const;

/** The folders every session workspace has. */
export const WORKSPACE_DIRS = ['artifacts', 'notes', 'decisions', 'snapshots'] as const;

export type SessionState = 'active' | 'archive';

export function stateDir(state: SessionState): string {
  return state === 'active' ? ACTIVE_DIR : ARCHIVE_DIR;
}

/** Project-relative folder of a session. */
export function sessionRelDir(state: SessionState, id: string): string {
  return `${stateDir(state)}/${id}`;
}

export function sessionBackupRel(id: string): string {
  return `${SESSION_BACKUPS_DIR}/${id}-backup.zip`;
}

/** The SHA-256 of a session ZIP, beside it (session ZIPs have no manifest to hold it). */
export function sessionBackupChecksumRel(id: string): string {
  return `${sessionBackupRel(id)}.sha256`;
}

/** A session ZIP's manifest (the archive's and every file's SHA-256), beside it, as daily and milestone ZIPs have. */
export function sessionBackupManifestRel(id: string): string {
  return `${SESSION_BACKUPS_DIR}/${id}-backup.manifest.json`;
}

export function sessionRefName(id: string): string {
  return `refs/sessions/${id}`;
}

/** The checkpoint's tag name, without refs/tags/. */
export function checkpointTagName(session: string, checkpoint: string): string {
  return `checkpoints/${session}/${checkpoint}`;
}

/** Joins a POSIX project-relative path onto the root with the platform's separators. */
export function abs(root: string, rel: string): string {
  return join(root, ...rel.split('/'));
}
