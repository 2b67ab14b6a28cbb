import type { HooksChange, HooksDirChange, HooksDirStatus, HooksStatus } from '../../domain/hooks/install.js';
import type { HooksStatusResult } from '../contract/hooks-status.js';
import type { HooksChangeResult } from '../contract/install-hooks.js';

type DirView = Omit<HooksStatusResult, 'worktrees'>;

function dirView(s: HooksDirStatus): DirView {
  return {
    root: s.root,
    dir: s.dir,
    hooks_path: s.hooksPath ?? null,
    manager: s.manager ?? null,
    manager_detail: s.managerDetail ?? null,
    hooks: s.hooks.map((h) => ({
      name: h.name, path: h.path, state: h.state, chained: h.chained, tracked: h.tracked,
      manager_file: h.managerFile ?? null, set_aside: h.setAside ?? null,
    })),
    advice: s.advice,
  };
}

/** The contract shape of a hooks status (shared by the three hooks verbs). */
export function statusView(s: HooksStatus): HooksStatusResult {
  return { ...dirView(s), worktrees: s.worktrees.map(dirView) };
}

const changed = (c: HooksDirChange) => ({ ...dirView(c), changes: c.changes.map((x) => ({ name: x.name, action: x.action })) });

export function changeView(c: HooksChange): HooksChangeResult {
  return { ...changed(c), worktrees: c.worktrees.map(changed) };
}
