import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { REPORT_FILE } from '../../shared/layout.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { insideProject, toOutputDir } from '../../storage/fs/project-path.js';
import { ensureIgnored } from '../project/init.js';
import type { Project } from '../project/project.js';

/** The file name `--out <folder>/` (or a folder that is there) gets. */
export const REPORT_NAME = 'report.html';

export interface ReportTarget {
  /** Absolute path of the HTML file. */
  file: string;
  /** True for 04-agents/reports/report.html, the place `out` undefined means. */
  isDefault: boolean;
}

/**
 * Where the report goes: `out` (relative to `cwd`, or absolute; checked like every output path: not `.git`, no escape
 * through a symlink inside the project), or `04-agents/reports/report.html`. An `out` that is a folder, or ends
 * with a slash, gets `report.html` inside it.
 */
export function reportTarget(project: Project, cwd: string, out: string | undefined): ReportTarget {
  if (out === undefined) return { file: insideProject(project.root, REPORT_FILE), isDefault: true };
  const target = toOutputDir(project.root, cwd, out).abs;
  const folder = /[\\/]$/.test(out) || (existsSync(target) && statSync(target).isDirectory());
  return { file: folder ? join(target, REPORT_NAME) : target, isDefault: false };
}

/** The deepest existing ancestor of `dir` (or `dir`) when it is not a folder. */
function fileOnTheWay(dir: string): string | undefined {
  for (let p = dir; ; p = dirname(p)) {
    if (existsSync(p)) return statSync(p).isDirectory() ? undefined : p;
    if (dirname(p) === p) return undefined;
  }
}

/**
 * Writes the page to `target` (from `reportTarget`) atomically, creating the folders on the way. The default place,
 * 04-agents/reports/, is git-ignored first (.gitignore gets its line once, as `init` adds it). Lock held for the
 * default place (.gitignore is written).
 */
export function writeReport(project: Project, target: ReportTarget, html: string): void {
  if (target.isDefault) ensureIgnored(project.root);
  const dir = dirname(target.file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const blocker = fileOnTheWay(dir);
    if (blocker) throw new SpecmapError('INVALID_INPUT', `cannot write the report into ${dir}: ${blocker} is a file, not a folder`);
    throw ioError('create', dir, err);
  }
  writeFileAtomic(target.file, html);
}
