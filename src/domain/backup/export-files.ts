import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { killPoint } from '../../shared/kill-point.js';
import { tempPathFor } from '../../storage/fs/atomic-write.js';
import { dirname } from 'node:path';
import { abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import { buildDir } from '../../storage/fs/replace-dir.js';
import type { Project } from '../project/project.js';
import { exportCommit, type ExportedArchive, type ProgressFn } from './export.js';
import { dailyDir, milestoneManifest, milestoneZip } from './layout.js';
import { writeDailyManifest, writeMilestoneManifest, type DailyManifest, type MilestoneManifest } from './manifest.js';

/** Manifest fields the caller gives; the export fills in the archive's. */
export type DailyFields = Omit<DailyManifest, keyof ExportedArchive>;
export type MilestoneFields = Omit<MilestoneManifest, keyof ExportedArchive>;

/**
 * Writes daily/<date>/ from `commit`: backup.zip and manifest.json, built beside the folder and swapped in as a
 * whole, so a failed run leaves the previous backup of the day as it was. `beforePlace` runs once both are
 * complete aside and before the swap (backup daily moves its ref there): a kill at any step leaves the previous
 * folder with the ref it was made from, or the ref moved and a folder `doctor --fix` exports again from it.
 */
export async function writeDailyExport(
  project: Project, commit: string, fields: DailyFields, onProgress?: ProgressFn, beforePlace?: () => Promise<void>,
): Promise<ExportedArchive> {
  const dir = insideProject(project.root, dailyDir(fields.date));
  mkdirSync(dirname(dir), { recursive: true });
  return buildDir(dir, async (staging) => {
    mkdirSync(staging);
    const exported = await exportCommit(project, commit, `${staging}/backup.zip`, onProgress);
    writeDailyManifest(`${staging}/manifest.json`, { ...fields, ...exported });
    killPoint('daily:exported');
    await beforePlace?.();
    killPoint('daily:ref-moved');
    return exported;
  });
}

/**
 * Writes milestones/<name>.zip and its manifest from `commit`: both complete beside their places first, then
 * `beforePlace` (the tag's compare-and-swap move), then the ZIP and the manifest renamed in. A kill before the tag
 * moves leaves the old milestone whole (and temp files doctor removes); after it, the tag is the new one and
 * whatever the ZIP and manifest are, `doctor --fix` finds them disagreeing with it and exports them again. The tag
 * is never absent.
 */
export async function writeMilestoneExport(
  project: Project,
  commit: string,
  fields: MilestoneFields,
  opts: { onProgress?: ProgressFn; beforePlace?: () => Promise<void> } = {},
): Promise<ExportedArchive> {
  const zipPath = insideProject(project.root, milestoneZip(fields.name));
  const manifestPath = abs(project.root, milestoneManifest(fields.name));
  mkdirSync(dirname(zipPath), { recursive: true });
  const zipTmp = tempPathFor(zipPath);
  const manifestTmp = tempPathFor(manifestPath);
  try {
    const exported = await exportCommit(project, commit, zipTmp, opts.onProgress);
    killPoint('milestone:zip-written');
    writeMilestoneManifest(manifestTmp, { ...fields, ...exported });
    killPoint('milestone:manifest-written');
    await opts.beforePlace?.();
    killPoint('milestone:tag-moved');
    renameSync(zipTmp, zipPath);
    killPoint('milestone:zip-placed');
    renameSync(manifestTmp, manifestPath);
    return exported;
  } catch (err) {
    rmSync(zipTmp, { force: true });
    rmSync(manifestTmp, { force: true });
    throw isSpecmapError(err) ? err : ioError('write', milestoneZip(fields.name), err);
  }
}
