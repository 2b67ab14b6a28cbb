import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { buildDir, buildFile } from '../../storage/fs/replace-dir.js';
import type { Project } from '../project/project.js';
import { exportCommit, type ExportedArchive, type ProgressFn } from './export.js';
import { dailyDir, milestoneManifest, milestoneZip } from './layout.js';
import { writeDailyManifest, writeMilestoneManifest, type DailyManifest, type MilestoneManifest } from './manifest.js';

/** Manifest fields the caller gives; the export fills in the archive's. */
export type DailyFields = Omit<DailyManifest, keyof ExportedArchive>;
export type MilestoneFields = Omit<MilestoneManifest, keyof ExportedArchive>;

/**
 * Writes daily/<date>/ from `commit`: backup.zip and manifest.json, built beside the folder and swapped in as a
 * whole, so a failed run leaves the previous backup of the day as it was.
 */
export async function writeDailyExport(project: Project, commit: string, fields: DailyFields, onProgress?: ProgressFn): Promise<ExportedArchive> {
  const dir = insideProject(project.root, dailyDir(fields.date));
  mkdirSync(dirname(dir), { recursive: true });
  return buildDir(dir, async (staging) => {
    mkdirSync(staging);
    const exported = await exportCommit(project, commit, `${staging}/backup.zip`, onProgress);
    writeDailyManifest(`${staging}/manifest.json`, { ...fields, ...exported });
    return exported;
  });
}

/**
 * Writes milestones/<name>.zip from `commit` (exported beside it, renamed in once complete; `beforePlace` runs
 * between, for the tag), then its manifest.
 */
export async function writeMilestoneExport(
  project: Project,
  commit: string,
  fields: MilestoneFields,
  opts: { onProgress?: ProgressFn; beforePlace?: () => Promise<void> } = {},
): Promise<ExportedArchive> {
  const zipPath = insideProject(project.root, milestoneZip(fields.name));
  mkdirSync(dirname(zipPath), { recursive: true });
  const exported = await buildFile(zipPath, async (tmp) => {
    const e = await exportCommit(project, commit, tmp, opts.onProgress);
    await opts.beforePlace?.();
    return e;
  });
  writeMilestoneManifest(abs(project.root, milestoneManifest(fields.name)), { ...fields, ...exported });
  return exported;
}
