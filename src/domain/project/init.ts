import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { BACKUPS_DIR, LAYOUT_DIRS, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { Project } from './project.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

export interface InitOutcome {
  root: string;
  /** Layout folders that did not exist before (project-relative). */
  createdDirs: string[];
  /** True when `04-agents/backups/` was added to .gitignore. */
  gitignoreUpdated: boolean;
}

const IGNORE_LINE = `/${BACKUPS_DIR}/`;
const IGNORE_FORMS = new Set([BACKUPS_DIR, `${BACKUPS_DIR}/`, `/${BACKUPS_DIR}`, IGNORE_LINE, `${BACKUPS_DIR}/*`, `/${BACKUPS_DIR}/*`]);

/**
 * Creates the spec's 04-agents layout and keeps ZIP backups out of git history. Idempotent. Lock held (`init`
 * runs it, and so do start, end, doctor and backups, implicitly).
 */
export function ensureLayout(project: Project): InitOutcome {
  const createdDirs: string[] = [];
  for (const rel of LAYOUT_DIRS) {
    let dir: string;
    try {
      dir = insideProject(project.root, rel);
    } catch (err) {
      // A symlink leads outside the project: nothing is created there, and the command that would write into
      // this folder refuses on its own.
      if (isSpecmapError(err) && err.code === 'PATH_OUTSIDE_PROJECT') continue;
      throw err;
    }
    if (existsSync(dir)) continue;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw ioError('create', rel, err);
    }
    createdDirs.push(rel);
  }
  return { root: project.root, createdDirs, gitignoreUpdated: ensureIgnored(project.root) };
}

function ensureIgnored(root: string): boolean {
  const path = abs(root, '.gitignore');
  let text = '';
  if (existsSync(path)) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw ioError('read', '.gitignore', err);
    }
  }
  if (text.split(/\r?\n/).some((line) => IGNORE_FORMS.has(line.trim()))) return false;
  const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  writeFileAtomic(path, `${text}${sep}# specmap: ZIP backups stay out of git history\n${IGNORE_LINE}\n`);
  return true;
}
