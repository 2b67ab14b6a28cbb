import { BACKUPS_DIR } from './layout.js';
import { globToRegExp, matchesAny } from './glob.js';
import { loadProjectConfig } from './project-config.js';
import { openProject, type ProjectOptions } from './project.js';
import { stagedPaths } from '../git/index.js';

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

export async function checkStaged(opts: StagedCheckOptions): Promise<StagedCheckResult> {
  const project = await openProject(opts);
  const staged = await stagedPaths(project.git, opts.indexFile);
  const config = loadProjectConfig(project.root);
  const scratch = config.scratch.map(globToRegExp);
  return {
    backups: staged.filter((p) => p.startsWith(`${BACKUPS_DIR}/`)),
    scratch: staged.filter((p) => !p.startsWith(`${BACKUPS_DIR}/`) && matchesAny(p, scratch)),
  };
}
