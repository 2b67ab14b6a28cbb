/** A file an `apply_patch` patch adds or changes. */
export interface PatchedFile {
  file: string;
  action: 'created' | 'modified';
}

const HEADER = /^\*\*\* (Add|Update|Delete) File: (.+?)\s*$/;
const MOVE = /^\*\*\* Move to: (.+?)\s*$/;

/**
 * The files a Codex `apply_patch` patch writes, from its headers: `*** Add File:` is created, `*** Update File:`
 * modified, and an update with `*** Move to:` creates its new path (the old one, like every `*** Delete File:`, is
 * gone, which the turn's diff records at turn end). Paths as the patch gives them (relative to the agent's cwd).
 */
export function patchedFiles(patch: string): PatchedFile[] {
  const out: PatchedFile[] = [];
  let current: PatchedFile | undefined;
  for (const line of patch.split(/\r?\n/)) {
    const h = HEADER.exec(line);
    if (h) {
      current = h[1] === 'Delete' ? undefined : { file: h[2]!, action: h[1] === 'Add' ? 'created' : 'modified' };
      if (current) out.push(current);
      continue;
    }
    const m = MOVE.exec(line);
    if (m && current) {
      current.file = m[1]!;
      current.action = 'created';
    }
  }
  // A file the patch touches twice is one artifact.
  return out.filter((f, i) => out.findIndex((g) => g.file === f.file) === i);
}

/** Whether a text holds an apply_patch patch at all. */
export const isPatch = (text: string): boolean => /^\*\*\* Begin Patch\b/m.test(text);
