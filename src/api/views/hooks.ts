import type { HooksChange, HooksStatus } from '../../domain/hooks/install.js';
import type { HooksStatusResult } from '../contract/hooks-status.js';
import type { HooksChangeResult } from '../contract/install-hooks.js';

/** The contract shape of a hooks status (shared by the three hooks verbs). */
export function statusView(s: HooksStatus): HooksStatusResult {
  return {
    dir: s.dir,
    hooks_path: s.hooksPath ?? null,
    manager: s.manager ?? null,
    hooks: s.hooks.map((h) => ({ name: h.name, path: h.path, state: h.state, chained: h.chained })),
    advice: s.advice,
  };
}

export function changeView(c: HooksChange): HooksChangeResult {
  return { ...statusView(c), changes: c.changes.map((x) => ({ name: x.name, action: x.action })) };
}
