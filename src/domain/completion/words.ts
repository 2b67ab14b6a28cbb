import { existsSync, readdirSync } from 'node:fs';
import { abs, DAILY_BACKUPS_DIR, MILESTONE_BACKUPS_DIR, SESSION_BACKUPS_DIR, sessionRelDir } from '../../shared/layout.js';
import { sessionFolderNames } from '../session/store.js';
import { templateNames } from '../session/templates.js';

/**
 * What shell completion offers, read from the 04-agents folders of the worktree at `root` only: no git, no lock, no
 * queued hook work settled, nothing written. Best effort by design: a folder that cannot be read offers nothing.
 */
export const COMPLETION_KINDS = [
  'session', 'active', 'checkpoint', 'session-or-checkpoint', 'checkpoint-of-prev', 'session-backup', 'daily', 'milestone', 'backup', 'template',
] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

const names = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
  } catch {
    return [];
  }
};

const safely = (read: () => string[]): string[] => {
  try {
    return read();
  } catch {
    return [];
  }
};

/** The session folders, sorted by id (the date first, so oldest first). */
function sessions(root: string, states: ('active' | 'archive')[]): { id: string; state: 'active' | 'archive' }[] {
  const all = states.flatMap((state) => safely(() => sessionFolderNames(root, state)).map((id) => ({ id, state })));
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A session reference (`@`, an id, a unique prefix) to its folder, as resolveSession would, or undefined. */
function sessionDir(root: string, ref: string): string | undefined {
  const all = sessions(root, ['active', 'archive']);
  const pick = ref === '@' ? all.filter((s) => s.state === 'active') : all.some((s) => s.id === ref) ? all.filter((s) => s.id === ref) : all.filter((s) => s.id.startsWith(ref));
  if (pick.length !== 1 || ref === '') return undefined;
  return abs(root, sessionRelDir(pick[0]!.state, pick[0]!.id));
}

/** The checkpoint ids of a session: snapshots/<id>.yaml (specmap) and snapshots/<id>/ (copies the Python SpecMap wrote). */
function checkpointIds(dir: string): string[] {
  const ids = names(abs(dir, 'snapshots'))
    .map((n) => (n.endsWith('.yaml') ? n.slice(0, -5) : n.endsWith('/') ? n.slice(0, -1) : ''))
    .filter((n) => n.startsWith('checkpoint-'));
  return [...new Set(ids)].sort();
}

/** `<session>:<checkpoint>` candidates for `word`: sessions (with a colon to go on) until one is named. */
function checkpoints(root: string, word: string): string[] {
  const colon = word.indexOf(':');
  if (colon < 0) return ['@:', ...sessions(root, ['active', 'archive']).map((s) => `${s.id}:`)];
  const ref = word.slice(0, colon);
  const dir = sessionDir(root, ref);
  return dir ? checkpointIds(dir).map((c) => `${ref}:${c}`) : [];
}

function dailies(root: string): string[] {
  return names(abs(root, DAILY_BACKUPS_DIR)).filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1));
}

function milestones(root: string): string[] {
  return names(abs(root, MILESTONE_BACKUPS_DIR)).filter((n) => n.endsWith('.zip')).map((n) => n.slice(0, -4));
}

function sessionBackups(root: string): string[] {
  return names(abs(root, SESSION_BACKUPS_DIR)).filter((n) => n.endsWith('-backup.zip')).map((n) => n.slice(0, -'-backup.zip'.length));
}

/** The candidates of `kind` that start with `word` (`previous`: the word before it, for checkpoint-of-prev). */
export function completionWords(root: string, kind: CompletionKind, word: string, previous?: string): string[] {
  const all = (): string[] => {
    switch (kind) {
      case 'session': return sessions(root, ['active', 'archive']).map((s) => s.id);
      case 'active': return sessions(root, ['active']).map((s) => s.id);
      case 'checkpoint': return checkpoints(root, word);
      case 'session-or-checkpoint': return word.includes(':') ? checkpoints(root, word) : sessions(root, ['active', 'archive']).map((s) => s.id);
      case 'checkpoint-of-prev': {
        const dir = previous === undefined ? undefined : sessionDir(root, previous);
        return dir ? checkpointIds(dir) : [];
      }
      case 'session-backup': return sessionBackups(root);
      case 'daily': return dailies(root);
      case 'milestone': return milestones(root);
      case 'backup': return [...dailies(root), ...milestones(root), ...sessionBackups(root)];
      case 'template': return safely(() => templateNames(root));
    }
  };
  return [...new Set(all())].filter((c) => c.startsWith(word));
}

/** The worktree holding `dir`: the nearest folder up with a `.git` (a folder, or the file of a linked worktree). */
export function worktreeRootOf(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (existsSync(abs(d, '.git'))) return d;
    const up = abs(d, '..');
    if (up === d) return undefined;
    d = up;
  }
}
