import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUPS_DIR, abs } from '../../shared/layout.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { globToRegExp, matchesAny } from '../../shared/glob.js';
import { CONFIG_FILE, loadProjectConfig } from '../project/config.js';
import { openProject, type Project, type ProjectOptions } from '../project/project.js';
import { stagedPaths } from '../../storage/git/index.js';

export interface StagedCheckOptions extends ProjectOptions {
  /** The index the commit is being built from (the hook's GIT_INDEX_FILE). */
  indexFile?: string;
}

export interface StagedCheckResult {
  /** Staged ZIP backups: the commit must not go in with these. */
  backups: string[];
  /** Staged files the config marks as scratch: a warning only. */
  scratch: string[];
}

/** Where the pre-commit shim finds the config's scratch globs as git pathspecs (relative to the git dir). */
const SCRATCH_PATHSPECS = 'specmap/scratch-pathspecs';

/**
 * A glob git's `:(glob)` pathspec matches exactly as globToRegExp does: `**` only as a whole segment, a wildcard
 * somewhere (git treats a plain path as a folder prefix too), no brackets or backslashes (classes in git, literal here).
 */
function gitGlobSafe(glob: string): boolean {
  if (/[[\]\\]/.test(glob) || glob.includes('\n') || glob.startsWith(':') || !/[*?]/.test(glob)) return false;
  return glob.split('/').every((seg) => !seg.includes('**') || seg === '**');
}

/**
 * Leaves the scratch globs where the plain-sh pre-commit shim can use them, so later commits need no Node: the
 * shim reads the file only when 04-agents/config.yaml exists and only while the file is newer than it. So there is
 * nothing to write without a config, or when the file is already fresh and the same (`specmap hook pre-commit`
 * from husky or lefthook runs this on every commit). Globs git cannot match the same way are not cached, and the
 * shim keeps handing those projects to Node.
 */
function cacheScratchPathspecs(project: Project, globs: string[]): void {
  try {
    const config = abs(project.root, CONFIG_FILE);
    if (!existsSync(config) || !globs.every(gitGlobSafe)) return;
    const path = join(project.git.gitDir, SCRATCH_PATHSPECS);
    const text = globs.map((g) => `${g}\n`).join('');
    if (existsSync(path) && statSync(path).mtimeMs > statSync(config).mtimeMs && readFileSync(path, 'utf8') === text) return;
    mkdirSync(join(project.git.gitDir, 'specmap'), { recursive: true });
    writeFileAtomic(path, text);
  } catch {
    // Only a cache: without it the shim runs Node, as before.
  }
}

export async function checkStaged(opts: StagedCheckOptions): Promise<StagedCheckResult> {
  const project = await openProject(opts);
  const staged = await stagedPaths(project.git, opts.indexFile);
  const config = loadProjectConfig(project.root);
  cacheScratchPathspecs(project, config.scratch);
  const scratch = config.scratch.map(globToRegExp);
  return {
    backups: staged.filter((p) => p.startsWith(`${BACKUPS_DIR}/`)),
    scratch: staged.filter((p) => !p.startsWith(`${BACKUPS_DIR}/`) && matchesAny(p, scratch)),
  };
}
