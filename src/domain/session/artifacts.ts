import { AGENTS_DIR, TRACKING_FILE } from '../../shared/layout.js';
import type { CommitChange } from '../../storage/git/commits.js';
import type { SessionDoc } from './session-file.js';

/** What one batch of changes added to a session's artifacts. */
export interface ArtifactChanges {
  created: string[];
  modified: string[];
  deleted: string[];
  renamed: { from: string; to: string }[];
}

/** specmap's own files are bookkeeping, not the session's work. */
export function isSpecmapFile(path: string): boolean {
  return path.startsWith(`${AGENTS_DIR}/`) || path === TRACKING_FILE;
}

const unique = (list: string[], item: string) => (list.includes(item) ? list : [...list, item]);

/**
 * The one place git changes become artifacts (a commit the post-commit hook recorded, an agent turn's checkpoint):
 * `created` / `modified`, plus the `deleted` and `renamed` lists specmap adds. A file created in the session stays
 * created when modified or renamed; specmap's own files are left out. Updates `doc` in place.
 */
export function applyChanges(doc: SessionDoc, changes: CommitChange[]): ArtifactChanges {
  const a = doc.artifacts;
  let deletedList = Array.isArray(a.deleted) ? (a.deleted as unknown[]).map(String) : [];
  const renamedList = Array.isArray(a.renamed) ? (a.renamed as { from: string; to: string }[]) : [];
  const result: ArtifactChanges = { created: [], modified: [], deleted: [], renamed: [] };
  for (const c of changes) {
    if (isSpecmapFile(c.path) && (!c.from || isSpecmapFile(c.from))) continue;
    if (c.status === 'A' || c.status === 'C') {
      if (!a.created.includes(c.path)) a.created.push(c.path);
      a.modified = a.modified.filter((p) => p !== c.path);
      deletedList = deletedList.filter((p) => p !== c.path);
      result.created.push(c.path);
    } else if (c.status === 'M' || c.status === 'T') {
      if (!a.created.includes(c.path)) a.modified = unique(a.modified, c.path);
      result.modified.push(c.path);
    } else if (c.status === 'D') {
      deletedList = unique(deletedList, c.path);
      result.deleted.push(c.path);
    } else if (c.status === 'R' && c.from) {
      // A file created in this session and then renamed is still this session's creation, under its new name.
      const wasCreated = a.created.includes(c.from);
      a.created = a.created.map((p) => (p === c.from ? c.path : p));
      a.modified = a.modified.map((p) => (p === c.from ? c.path : p));
      if (!wasCreated && !a.modified.includes(c.path)) a.modified.push(c.path);
      renamedList.push({ from: c.from, to: c.path });
      result.renamed.push({ from: c.from, to: c.path });
    }
  }
  if (deletedList.length > 0) a.deleted = deletedList;
  if (renamedList.length > 0) a.renamed = renamedList;
  return result;
}
