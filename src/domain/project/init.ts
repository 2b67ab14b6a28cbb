import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ioError, isSpecmapError } from '../../shared/errors.js';
import { BACKUPS_DIR, LAYOUT_DIRS, REPORTS_DIR, abs } from '../../shared/layout.js';
import { insideProject } from '../../storage/fs/project-path.js';
import type { Project } from './project.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

export interface InitOutcome {
  root: string;
  /** Layout folders that did not exist before (project-relative). */
  createdDirs: string[];
  /** True when `/04-agents/backups/` or `/04-agents/reports/` was added to .gitignore. */
  gitignoreUpdated: boolean;
}

/** The folders specmap keeps out of git history, each with the comment its .gitignore line gets. */
const IGNORED: { dir: string; why: string }[] = [
  { dir: BACKUPS_DIR, why: 'ZIP backups stay out of git history' },
  { dir: REPORTS_DIR, why: 'generated reports stay out of git history' },
];
const ignoreForms = (dir: string) => new Set([dir, `${dir}/`, `/${dir}`, `/${dir}/`, `${dir}/*`, `/${dir}/*`]);

/**
 * Creates the spec's 04-agents layout and keeps ZIP backups and generated reports out of git history. Idempotent.
 * Lock held (`init` runs it, and so do start, end, doctor and backups, implicitly).
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

/**
 * Adds a `/04-agents/backups/` and a `/04-agents/reports/` line to .gitignore, each unless a line of one of its
 * forms (`04-agents/backups`, `/04-agents/backups/*`, …) is already there. True when .gitignore was written. Lock held.
 */
export function ensureIgnored(root: string): boolean {
  const path = abs(root, '.gitignore');
  let text = '';
  if (existsSync(path)) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw ioError('read', '.gitignore', err);
    }
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const missing = IGNORED.filter(({ dir }) => !lines.some((line) => ignoreForms(dir).has(line)));
  if (missing.length === 0) return false;
  const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  writeFileAtomic(path, `${text}${sep}${missing.map(({ dir, why }) => `# specmap: ${why}\n/${dir}/\n`).join('')}`);
  return true;
}
