import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkSessionRef } from '../../shared/ids.js';
import { resolveId } from '../../shared/resolve-id.js';
import { isSpecmapError } from '../../shared/errors.js';
import type { SessionState } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { findRepo } from '../../storage/git/repo.js';
import { listWorktrees, type WorktreeEntry } from '../../storage/git/worktree.js';
import { listSessionHandles, resolveSession, type SessionHandle } from './store.js';

/** A session and the worktree whose 04-agents/ folder holds it. */
export interface PlacedSession {
  /** The worktree the session lives in (`here` is the one the command runs in). */
  project: Project;
  handle: SessionHandle;
  here: boolean;
  /** The main worktree (git's first), which `git worktree remove` never removes. */
  main: boolean;
  /** What `git worktree list` says about that worktree (locked, detached HEAD …). */
  worktree?: WorktreeEntry;
}

/** A linked worktree as a Project (its own git dir, the shared common dir), or undefined when it is gone from disk. */
async function worktreeProject(project: Project, w: WorktreeEntry): Promise<Project | undefined> {
  if (w.bare || !existsSync(w.path)) return undefined;
  if (resolve(w.path) === project.root) return project;
  try {
    const git = await findRepo(w.path);
    return git.root === project.root ? project : { root: git.root, git };
  } catch (err) {
    if (isSpecmapError(err)) return undefined;
    throw err;
  }
}

/**
 * Every worktree of the repository that is on disk, as a Project, the one the command runs in first. Each holds
 * its own 04-agents/ folder; all share refs/sessions/* and the lock, so a domain function holding the lock may work
 * in any of them.
 */
export async function worktreeProjects(project: Project): Promise<{ project: Project; main: boolean; worktree?: WorktreeEntry }[]> {
  const entries = await listWorktrees(project.git);
  const out: { project: Project; main: boolean; worktree?: WorktreeEntry }[] = [];
  let sawHere = false;
  for (const [i, w] of entries.entries()) {
    const p = await worktreeProject(project, w);
    if (!p) continue;
    if (p === project) sawHere = true;
    out.push({ project: p, main: i === 0, worktree: w });
  }
  if (!sawHere) out.unshift({ project, main: entries.length === 0 });
  return out.sort((a, b) => Number(b.project === project) - Number(a.project === project));
}

/**
 * Finds a session in this worktree or, when it has none by that reference, in the other worktrees (a fork lives
 * in the worktree `specmap fork` made): the exact id or a unique prefix across all of them. `@` means the only
 * active session here, as everywhere else.
 */
export async function locateSession(project: Project, ref: string, states?: SessionState[]): Promise<PlacedSession> {
  checkSessionRef(ref);
  let handle: SessionHandle;
  try {
    handle = resolveSession(project, ref, { states });
  } catch (err) {
    if (ref === '@' || !isSpecmapError(err) || err.code !== 'SESSION_NOT_FOUND') throw err;
    return locateElsewhere(project, ref, err, states);
  }
  const here = (await worktreeProjects(project))[0]!;
  return { project, handle, here: true, main: here.main, worktree: here.worktree };
}

/**
 * The session `ref` names among the other worktrees' sessions (this one has none by that reference): the exact id
 * or a unique prefix across them. Its handle carries `worktree`, the root of the worktree that holds it. Throws
 * `notHere` (this worktree's "not found") when no other worktree has a session at all.
 */
export async function locateElsewhere(project: Project, ref: string, notHere: Error, states?: SessionState[]): Promise<PlacedSession> {
  const trees = (await worktreeProjects(project)).slice(1);
  const placed = trees.flatMap((t) => listSessionHandles(t.project, states).map((handle) => ({ ...t, handle })));
  if (placed.length === 0) throw notHere;
  const id = resolveId(ref, placed.map((p) => p.handle.id), { what: 'session', where: ' in any worktree', notFound: 'SESSION_NOT_FOUND', details: { list: 'sessions' } });
  const found = placed.find((p) => p.handle.id === id)!;
  return { project: found.project, handle: { ...found.handle, worktree: found.project.root }, here: false, main: found.main, worktree: found.worktree };
}

/**
 * The first of the other worktrees (this one left out, in git's order) where `find` finds something, with what it
 * found: where a command that found nothing here looks next (a fork's ZIP, say), to name or read it there.
 */
export async function findInOtherWorktrees<T>(project: Project, find: (other: Project) => Promise<T | undefined>): Promise<{ project: Project; found: T } | undefined> {
  for (const t of (await worktreeProjects(project)).slice(1)) {
    const found = await find(t.project);
    if (found !== undefined) return { project: t.project, found };
  }
  return undefined;
}

/** Every session of every worktree (states as asked), each with its worktree; a session found in two counts once, here first. */
export async function sessionsOfAllWorktrees(project: Project, states?: SessionState[]): Promise<PlacedSession[]> {
  const seen = new Set<string>();
  const out: PlacedSession[] = [];
  for (const t of await worktreeProjects(project)) {
    for (const handle of listSessionHandles(t.project, states)) {
      if (seen.has(handle.id)) continue;
      seen.add(handle.id);
      const here = t.project === project;
      out.push({ project: t.project, handle: here ? handle : { ...handle, worktree: t.project.root }, here, main: t.main, worktree: t.worktree });
    }
  }
  return out;
}
