import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { abs } from '../../shared/layout.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { gitGlobSafe, globToRegExp, matchesAny } from '../../shared/glob.js';
import { CONFIG_FILE, projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { stagedPaths } from '../../storage/git/commits.js';
import { HOOK_RULES } from './rules.js';

export interface StagedCheckResult {
  /** Staged ZIP backups: the commit must not go in with these. */
  backups: string[];
  /** Staged files the config marks as scratch: a warning only. */
  scratch: string[];
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
    const path = join(project.git.gitDir, HOOK_RULES.scratchPathspecsFile);
    const text = globs.map((g) => `${g}\n`).join('');
    if (existsSync(path) && statSync(path).mtimeMs > statSync(config).mtimeMs && readFileSync(path, 'utf8') === text) return;
    mkdirSync(join(project.git.gitDir, 'specmap'), { recursive: true });
    writeFileAtomic(path, text);
  } catch {
    // Only a cache: without it the shim runs Node, as before.
  }
}

/**
 * What the commit being built would put in: ZIP backups, and files the config's scratch globs match. Reads only
 * (besides refreshing the shim's glob cache), so the hook needs no lock. `indexFile` is the index git builds the
 * commit from (the hook's GIT_INDEX_FILE; for `commit -a` it is not .git/index).
 */
export async function checkStaged(project: Project, indexFile?: string): Promise<StagedCheckResult> {
  const staged = await stagedPaths(project.git, indexFile);
  const config = projectConfig(project);
  cacheScratchPathspecs(project, config.scratch);
  const scratch = config.scratch.map(globToRegExp);
  const isBackup = (p: string) => p.startsWith(HOOK_RULES.backupsDir);
  return {
    backups: staged.filter(isBackup),
    scratch: staged.filter((p) => !isBackup(p) && matchesAny(p, scratch)),
  };
}
