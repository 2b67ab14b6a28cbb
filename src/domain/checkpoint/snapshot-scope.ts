import { readdirSync } from 'node:fs';
import { ACTIVE_DIR, ARCHIVE_DIR, BACKUPS_DIR, LEGACY_REPORT_FILE, REPORTS_DIR, SUMMARIES_DIR, TRACKING_FILE, abs, sessionRelDir } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { pathWithin } from '../../shared/path-text.js';
import { treeEntries } from '../../storage/git/snapshot.js';

/**
 * What a checkpoint contains: the project plus its own session's workspace. Everything else specmap writes stays
 * out — the backups, archived sessions, summaries, TRACKING.md, the reports (04-agents/reports/, and
 * specmap-report.html, where older versions wrote), and every other folder in sessions/active/ (other sessions,
 * `-restored` copies) — and so do the session's own session.yaml and snapshots/,
 * which specmap rewrites at every checkpoint (with them, no checkpoint could ever find "nothing changed").
 */
const SHARED = [BACKUPS_DIR, ARCHIVE_DIR, SUMMARIES_DIR, TRACKING_FILE, REPORTS_DIR, LEGACY_REPORT_FILE];
const OWN_REWRITTEN = ['session.yaml', 'snapshots'];

/** True for a project path a checkpoint of `session` (a session id) never contains. */
export function isManagedPath(path: string, session: string): boolean {
  const own = sessionRelDir('active', session);
  if (SHARED.some((d) => pathWithin(path, d)) || OWN_REWRITTEN.some((f) => pathWithin(path, `${own}/${f}`))) return true;
  return pathWithin(path, ACTIVE_DIR) && path !== ACTIVE_DIR && !pathWithin(path, own);
}

/** What a snapshot leaves as its base tree has it, and which of those paths the base tree holds (tracked). */
export interface SnapshotScope {
  excludes: string[];
  inBase: Set<string>;
}

/**
 * The project paths (files or folders) a snapshot of `session` (undefined: of no session, so every workspace is
 * left out) on top of `baseTree` must leave as `baseTree` has them, and which of them `baseTree` holds — one
 * `ls-tree` for both. The other entries of sessions/active/ are listed both on disk and in `baseTree`: one committed
 * to git and gone from disk since must not show up as deleted.
 */
export async function snapshotExcludes(project: Project, session: string | undefined, baseTree: string): Promise<SnapshotScope> {
  const own = session === undefined ? undefined : sessionRelDir('active', session);
  const fixed = own === undefined ? SHARED : [...SHARED, ...OWN_REWRITTEN.map((f) => `${own}/${f}`)];
  const listed = await treeEntries(project.git, baseTree, [`${ACTIVE_DIR}/`, ...fixed]);
  const inBase = new Set(listed);
  const siblings = new Set(listed.filter((p) => p.startsWith(`${ACTIVE_DIR}/`) && !p.slice(ACTIVE_DIR.length + 1).includes('/')));
  try {
    for (const name of readdirSync(abs(project.root, ACTIVE_DIR))) siblings.add(`${ACTIVE_DIR}/${name}`);
  } catch {
    // No active/ folder on disk: nothing there to leave out.
  }
  if (own !== undefined) siblings.delete(own);
  return { excludes: [...fixed, ...[...siblings].sort()], inBase };
}
