import { existsSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../shared/process-alive.js';
import { tempNameOwner } from '../../shared/temp-name.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import type { Project } from './project.js';

// What a killed command leaves outside 04-agents/, found without walking the project: an in-place restore lists the
// temp files it is about to stage beside their targets in a journal first, and its staging folder sits in the git
// dir. The next command that takes the lock removes what a dead process left (sweepLeftoversLocked); doctor finds
// the rest by walking the tree.

const specmapDir = (project: Project) => join(project.git.gitDir, 'specmap');
const JOURNAL_RE = /^placed\.(\d+)\.(\d+)$/;
const SCRATCH_RE = /^(?:restore|zip-stage|offsite)\.(\d+)\.\d+$/;

let counter = 0;

/** A journal of temp files about to be created in the project: write it before creating them, drop it after. */
export interface TempJournal {
  path: string;
  clear: () => void;
}

/** Records `files` (absolute, raw bytes; each a temp name of this process) before they are created. */
export function journalTemps(project: Project, files: Buffer[]): TempJournal {
  counter += 1;
  const path = join(specmapDir(project), `placed.${process.pid}.${counter}`);
  writeFileAtomic(path, Buffer.concat(files.flatMap((f) => [f, Buffer.from([0])])));
  return { path, clear: () => rmSync(path, { force: true }) };
}

const deadOwner = (pid: number) => pid !== process.pid && !processAlive(pid);

/** Journals and staging folders of processes that are gone (cheap: one readdir of the git dir's specmap/). */
export function staleLeftovers(project: Project): { journals: string[]; scratch: string[] } {
  const dir = specmapDir(project);
  if (!existsSync(dir)) return { journals: [], scratch: [] };
  const journals: string[] = [];
  const scratch: string[] = [];
  for (const name of readdirSync(dir)) {
    const j = JOURNAL_RE.exec(name);
    if (j && deadOwner(Number(j[1]))) journals.push(join(dir, name));
    const s = SCRATCH_RE.exec(name);
    if (s && deadOwner(Number(s[1]))) scratch.push(join(dir, name));
  }
  return { journals, scratch };
}

export function hasStaleLeftovers(project: Project): boolean {
  const s = staleLeftovers(project);
  return s.journals.length > 0 || s.scratch.length > 0;
}

/**
 * Removes the temp files listed by journals of dead processes (only names of ours, made by that process), the
 * journals, and dead processes' staging folders. Lock held. Returns the temp files removed.
 */
export function sweepLeftoversLocked(project: Project): Buffer[] {
  const { journals, scratch } = staleLeftovers(project);
  const removed: Buffer[] = [];
  for (const j of journals) {
    const owner = Number(JOURNAL_RE.exec(j.slice(j.lastIndexOf('/') + 1))![1]);
    let text: Buffer;
    try { text = readFileSync(j); } catch { continue; }
    for (let at = 0; at < text.length;) {
      const end = text.indexOf(0, at);
      const file = text.subarray(at, end < 0 ? text.length : end);
      at = end < 0 ? text.length : end + 1;
      const base = file.subarray(file.lastIndexOf(0x2f) + 1).toString('latin1');
      if (tempNameOwner(base) !== owner) continue;
      try {
        unlinkSync(file);
        removed.push(file);
      } catch {
        // Never created, or already moved into place.
      }
    }
    rmSync(j, { force: true });
  }
  for (const s of scratch) rmSync(s, { recursive: true, force: true });
  return removed;
}
