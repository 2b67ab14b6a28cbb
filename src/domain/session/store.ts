import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { resolveId } from '../../shared/resolve-id.js';
import { checkSessionRef, isSafeName } from '../../shared/ids.js';
import { abs, sessionRelDir, stateDir, type SessionState } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { readSessionFile, writeSessionFile, type SessionDoc } from './session-file.js';
import { listWorktrees } from '../../storage/git/worktree.js';

/** Where one session lives on disk. */
export interface SessionHandle {
  id: string;
  /** 'remote': fetched from a remote, read-only, its workspace extracted into a cache (see remote-sessions.ts). */
  state: SessionState | 'remote';
  remote?: string;
  /** Project-relative POSIX folder, e.g. 04-agents/sessions/active/<id>. */
  relDir: string;
  /** Absolute folder. */
  dir: string;
  /** Where a parsed copy of a large session.yaml is kept between commands (see readSessionFile). */
  parsedCache?: string;
  /**
   * Set when the session lives in another worktree of the repository (a fork's, see worktrees.ts): that worktree's
   * root, which `relDir` is relative to. Such a handle is for reading; writes to it are refused (resolveActiveSession).
   */
  worktree?: string;
}

/** Where the parsed copy of a session's session.yaml is kept (see readSessionFile). */
export function parsedCachePath(project: Project, state: SessionState, id: string): string {
  return join(project.git.gitDir, 'specmap', 'parsed', `${state}-${id}.json`);
}

function handle(project: Project, state: SessionState, id: string): SessionHandle {
  const relDir = sessionRelDir(state, id);
  return { id, state, relDir, dir: abs(project.root, relDir), parsedCache: parsedCachePath(project, state, id) };
}

/** Session folders in active/ (and archive/ when asked), sorted by id. Hidden and unsafe names are skipped. */
export function listSessionHandles(project: Project, states: SessionState[] = ['active', 'archive']): SessionHandle[] {
  const out: SessionHandle[] = [];
  for (const state of states) {
    for (const name of sessionFolderNames(project.root, state)) out.push(handle(project, state, name));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.state === 'active' ? -1 : 1));
}

/**
 * The ids of the session folders, active and archived, of every worktree of the repository. Worktrees share
 * `refs/sessions/*` but each has its own 04-agents/ folder, so a ref is only an orphan when no worktree has its
 * folder, and a new session's number must be free in all of them.
 */
export async function sessionIdsOfAllWorktrees(project: Project): Promise<Set<string>> {
  const roots = new Set([project.root]);
  for (const w of await listWorktrees(project.git)) if (!w.bare) roots.add(w.path);
  const ids = new Set<string>();
  for (const root of roots) {
    for (const state of ['active', 'archive'] as const) {
      const display = root === project.root ? stateDir(state) : join(root, stateDir(state));
      for (const name of sessionFolderNames(root, state, display)) ids.add(name);
    }
  }
  return ids;
}

/** The session folder names under `root`'s active/ or archive/ folder (hidden, unsafe and restored copies left out). */
export function sessionFolderNames(root: string, state: SessionState, display = stateDir(state)): string[] {
  const dir = abs(root, stateDir(state));
  if (!existsSync(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    throw ioError('read', display, err);
  }
  return names.filter((name) => !name.startsWith('.') && isSafeName(name) && !(name.endsWith('-restored') && isRestoredCopy(abs(dir, name), name)));
}

/** Whether anything by that name is in the `state` folder (a session folder or not: a clash then goes the long way). */
function existsIn(root: string, state: SessionState, name: string): boolean {
  if (!isSafeName(name)) return true;
  try {
    lstatSync(abs(abs(root, stateDir(state)), name));
    return true;
  } catch {
    return false;
  }
}

/**
 * `restore` writes copies into active/ as the spec says (<id>-restored/, <id>-<checkpoint>-restored/). They are
 * not sessions: their session.yaml is missing (checkpoint files) or names the original session.
 */
function isRestoredCopy(dir: string, name: string): boolean {
  const file = join(dir, 'session.yaml');
  if (!existsSync(file)) return true;
  try {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return !new RegExp(`^\\s*id:\\s*["']?${escaped}["']?\\s*$`, 'm').test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

export interface ResolveOptions {
  /** Restrict to these states (default: both). */
  states?: SessionState[];
}

/**
 * Resolves a session reference: a full id, a unique prefix (the spec itself writes `2025-10-25-session-001`),
 * or `@` for the only active session. Unknown and ambiguous references are clear errors listing what exists.
 */
export function resolveSession(project: Project, ref: string, opts: ResolveOptions = {}): SessionHandle {
  checkSessionRef(ref);
  const states = opts.states ?? ['active', 'archive'];
  if (ref === '@') {
    const active = listSessionHandles(project, ['active']);
    if (active.length === 1) return active[0]!;
    if (active.length === 0) throw new SpecmapError('SESSION_NOT_FOUND', "no active session ('@' needs exactly one): run 'specmap start <focus>'", { kind: 'no-active' });
    throw new SpecmapError(
      'SESSION_AMBIGUOUS',
      `'@' is ambiguous: ${active.length} sessions are active (${active.map((h) => h.id).join(', ')}); name one`,
      { kind: 'ambiguous', matches: active.map((h) => h.id) },
    );
  }
  // An active session named by its exact id (what checkpoints name) is found without listing archive/: 1,000
  // archived sessions cost 7 ms to list. active/ is listed (few entries, and the listing has the exact spelling
  // a case-insensitive disk would not); archive/ only has to hold nothing by that name.
  if (states.includes('active')) {
    const exact = sessionFolderNames(project.root, 'active').includes(ref);
    if (exact && (!states.includes('archive') || !existsIn(project.root, 'archive', ref))) return handle(project, 'active', ref);
  }
  const all = listSessionHandles(project, states);
  const where = states.length === 1 ? `${states[0]} ` : '';
  const id = resolveId(ref, all.map((h) => h.id), { what: `${where}session`, notFound: 'SESSION_NOT_FOUND', details: { list: 'sessions' } });
  const found = all.filter((h) => h.id === id);
  if (found.length > 1) {
    throw new SpecmapError('CONFLICT', `session ${id} is in both active/ and archive/: run 'specmap doctor'`, { kind: 'active-and-archived' });
  }
  return found[0]!;
}

/** The session's session.yaml (absolute). */
export function sessionFilePath(h: SessionHandle): string {
  return abs(h.dir, 'session.yaml');
}

/** The root of the worktree whose 04-agents/ holds the session: its own for a fork's, else the project's. */
export function sessionRoot(project: Project, h: SessionHandle): string {
  return h.worktree ?? project.root;
}

/** Reads and validates the session's session.yaml. */
export function loadSession(h: SessionHandle): SessionDoc {
  return readSessionFile(sessionFilePath(h), `${h.relDir}/session.yaml`, h.parsedCache);
}

/** Writes the session's session.yaml (lock held). */
export function saveSession(h: SessionHandle, doc: SessionDoc): void {
  writeSessionFile(sessionFilePath(h), doc, h.parsedCache);
}

/** The active sessions whose metadata has `key: value` (an agent's own session id, for instance). */
export function activeSessionsWithMeta(project: Project, key: string, value: string): SessionHandle[] {
  return sessionsWithMeta(project, ['active'], key, value);
}

/** The sessions in `states` whose metadata has `key: value`, sorted by id (so the newest of a day comes last). */
export function sessionsWithMeta(project: Project, states: SessionState[], key: string, value: string): SessionHandle[] {
  return listSessionHandles(project, states).filter((h) => {
    try {
      return String(loadSession(h).metadata?.[key] ?? '') === value;
    } catch {
      return false;
    }
  });
}
