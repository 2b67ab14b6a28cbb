import { isSpecmapError } from '../../shared/errors.js';
import type { Project } from '../project/project.js';
import { compareSessions, type CompareOutcome } from '../session/compare.js';
import { forkedFromOf } from '../session/forked-from.js';
import { loadSession } from '../session/store.js';
import { sessionsOfAllWorktrees } from '../session/worktrees.js';

/** A session and the forks made from its checkpoints, compared side by side (what `specmap compare` shows). */
export interface ForkFamily {
  parent: string;
  compared: CompareOutcome;
}

/**
 * Every family of forks in the repository (any worktree, active or archived) with a fork started on or after
 * `since`: the parent, when it is still there, and its forks, compared as `specmap compare` compares them (without
 * `--run`, and without listing unsaved files). A family git can no longer read is left out. Reads only.
 */
export async function forkFamilies(project: Project, since?: string): Promise<ForkFamily[]> {
  const all = await sessionsOfAllWorktrees(project);
  const ids = new Set(all.map((p) => p.handle.id));
  const forks = new Map<string, string[]>();
  for (const p of all) {
    let from;
    try {
      const doc = loadSession(p.handle);
      if (since && doc.session.date < since) continue;
      from = forkedFromOf(doc);
    } catch {
      continue; // `specmap list --all` and `doctor` report unreadable files
    }
    if (from) forks.set(from.session, [...(forks.get(from.session) ?? []), p.handle.id]);
  }
  const out: ForkFamily[] = [];
  for (const [parent, children] of [...forks].sort(([a], [b]) => a.localeCompare(b))) {
    const members = [...(ids.has(parent) ? [parent] : []), ...children.sort()];
    if (members.length < 2) continue;
    try {
      out.push({ parent, compared: await compareSessions(project, { sessions: members, pending: false }) });
    } catch (err) {
      // Its refs or commits are gone: `doctor` says so; the report shows the rest.
      if (!isSpecmapError(err)) throw err;
    }
  }
  return out;
}
