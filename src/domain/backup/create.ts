import { existsSync, readdirSync, statSync } from 'node:fs';
import { localDate, now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import type { ManifestFile } from './export.js';
import { started, type ProgressFn } from '../../shared/progress.js';
import { writeDailyExport, writeMilestoneExport } from './export-files.js';
import { checkMilestoneName, dailyDir, dailyManifest, dailyRef, dailyZip, milestoneManifest, milestoneTag, milestoneZip } from './layout.js';
import { manifestTimestamp, priorRuns } from './manifest.js';
import { BACKUPS_DIR, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { projectConfig } from '../project/config.js';
import { ensureLayout } from '../project/init.js';
import type { Project } from '../project/project.js';
import { checkStoredPath } from '../checkpoint/files.js';
import { commitTree, emptyTree, headCommit } from '../../storage/git/objects.js';
import { writeTagObject } from '../../storage/git/tags.js';
import { readRef, updateRef } from '../../storage/git/refs.js';
import { snapshotTree, treeOf } from '../../storage/git/snapshot.js';

const EXCLUDE_BACKUPS = [BACKUPS_DIR];

export interface BackupResult {
  kind: 'daily' | 'milestone';
  name: string;
  /** Project-relative paths. */
  zip: string;
  manifest: string;
  items: string[];
  files: number;
  /** The files' total size, uncompressed. */
  bytes: number;
  /** The ZIP's size on disk. */
  zip_bytes: number;
  commit: string;
  ref: string;
  /** Daily: an earlier backup of the same day was replaced. Milestone: an existing one was replaced (--force). */
  updated: boolean;
}

/** True for a file, or a folder with at least one file somewhere below it (git has nothing to add otherwise). */
function hasFiles(path: string): boolean {
  if (!existsSync(path)) return false;
  const st = statSync(path);
  if (!st.isDirectory()) return st.isFile();
  return readdirSync(path, { withFileTypes: true }).some((d) => (d.isDirectory() ? hasFiles(`${path}/${d.name}`) : d.isFile()));
}

const totalBytes = (files: ManifestFile[]) => files.reduce((n, f) => n + f.size, 0);

/** The snapshot's count of files git took, as progress. */
export const snapshotCounter = (onProgress: ProgressFn | undefined) =>
  onProgress && ((files: number) => onProgress({ ...started('snapshot'), files }));

/**
 * `backup daily` (the spec's backup-project.py): the configured items that exist, committed to
 * refs/backups/daily/<date> (unchanged files are stored once) and exported from that commit as
 * daily/<date>/backup.zip with manifest.json. The day's folder is replaced as a whole, so a failed run leaves the
 * previous backup of the day as it was. Lock held.
 */
export async function dailyBackup(project: Project, opts: { onProgress?: ProgressFn } = {}): Promise<BackupResult> {
  ensureLayout(project);
  const at = now();
  const date = localDate(at);
  insideProject(project.root, dailyDir(date));
  const configured = projectConfig(project).dailyItems.map((i) => checkStoredPath(i.replace(/\/+$/, ''), '04-agents/config.yaml'));
  const items = configured.filter((i) => hasFiles(abs(project.root, i)));
  if (items.length === 0) {
    throw new SpecmapError('NOTHING_TO_DO', `none of the daily backup items has any files yet: ${configured.join(', ')}`, { kind: 'no-items' });
  }
  opts.onProgress?.(started('snapshot'));
  const tree = await snapshotTree(project.git, { baseTree: await emptyTree(project.git), paths: items, excludes: EXCLUDE_BACKUPS, onProgress: snapshotCounter(opts.onProgress) });
  const ref = dailyRef(date);
  const previous = await readRef(project.git, ref);
  const commit = await commitTree(project.git, {
    tree,
    parents: previous ? [previous] : [],
    message: `specmap daily backup ${date}\n\nItems: ${items.join(', ')}\n`,
    date: at,
  });
  // The ZIP and manifest are complete aside before the ref moves (compare-and-swap), and swapped in after it.
  const runs = priorRuns(abs(project.root, dailyManifest(date)));
  const { files, archive_bytes } = await writeDailyExport(project, commit, {
    date,
    timestamp: manifestTimestamp(at),
    items_backed_up: items,
    backup_path: dailyDir(date),
    zip: dailyZip(date),
    runs: runs + 1,
    updated: runs > 0,
    git: { ref, commit, tree },
  }, opts.onProgress, () => updateRef(project.git, ref, commit, previous, `specmap backup daily ${date}`));
  return {
    kind: 'daily', name: date, zip: dailyZip(date), manifest: dailyManifest(date), items, files: files.length,
    bytes: totalBytes(files), zip_bytes: archive_bytes, commit, ref, updated: runs > 0,
  };
}

/**
 * `backup milestone <name>`: the whole project as it is now (tracked and untracked files, not ignored ones, never
 * the backups), as a commit tagged milestones/<name> and exported to milestones/<name>.zip with a manifest. Lock held.
 */
export async function milestoneBackup(project: Project, opts: { name: string; force?: boolean; onProgress?: ProgressFn }): Promise<BackupResult> {
  const name = checkMilestoneName(opts.name);
  ensureLayout(project);
  const at = now();
  const tag = milestoneTag(name);
  const zipRel = milestoneZip(name);
  insideProject(project.root, zipRel);
  const oldTag = await readRef(project.git, `refs/tags/${tag}`);
  const exists = oldTag !== undefined || existsSync(abs(project.root, zipRel));
  if (exists && !opts.force) throw new SpecmapError('CONFLICT', `milestone ${name} already exists`, { kind: 'exists' });

  opts.onProgress?.(started('snapshot'));
  const head = await headCommit(project.git);
  const baseTree = head ? await treeOf(project.git, head) : await emptyTree(project.git);
  const tree = await snapshotTree(project.git, { baseTree, excludes: EXCLUDE_BACKUPS, onProgress: snapshotCounter(opts.onProgress) });
  const message = `Milestone ${name}\n\nspecmap milestone backup of the whole project (tracked and untracked files).\n`;
  const commit = await commitTree(project.git, { tree, parents: head ? [head] : [], message, date: at });

  const { files, archive_bytes } = await writeMilestoneExport(project, commit, {
    name, timestamp: manifestTimestamp(at), backup_path: zipRel, git: { tag: `refs/tags/${tag}`, commit, tree },
  }, {
    onProgress: opts.onProgress,
    // One compare-and-swap from the old tag object to the new: the tag is never absent.
    beforePlace: async () => {
      const next = await writeTagObject(project.git, { name: tag, target: commit, message, date: at });
      await updateRef(project.git, `refs/tags/${tag}`, next, oldTag, `specmap backup milestone ${name}`);
    },
  });
  return {
    kind: 'milestone', name, zip: zipRel, manifest: milestoneManifest(name), items: ['.'], files: files.length,
    bytes: totalBytes(files), zip_bytes: archive_bytes, commit, ref: `refs/tags/${tag}`, updated: exists,
  };
}
