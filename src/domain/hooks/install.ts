import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { SpecmapError } from '../../shared/errors.js';
import type { Project } from '../project/project.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { configValue, hooksDir, trackedFiles, untrackedShown } from '../../storage/git/commits.js';
import { listWorktrees } from '../../storage/git/worktree.js';
import { callsSpecmapHook, detectManager, managedLine, type HookManager } from './managers.js';
import { GIT_HOOKS, SHIM_MARKER, renderShim, type GitHook } from './shim.js';

export { GIT_HOOKS, renderShim, type GitHook } from './shim.js';
export type { HookManager } from './managers.js';

const CHAINED = '.specmap-orig';
/** Where `lefthook install` moves a hook that is not its own. */
const SET_ASIDE = '.old';

export interface HookState {
  name: GitHook;
  path: string;
  /**
   * installed: ours, current; outdated: ours, from another version or path; managed: not ours, but it runs
   * `specmap hook <name>` (itself, or through a hook manager's config); foreign: someone else's, not chained;
   * missing: no file.
   */
  state: 'installed' | 'outdated' | 'managed' | 'missing' | 'foreign';
  /** A user hook we chained (it runs first). */
  chained: boolean;
  /** The file is tracked by git (a hooks folder inside the project): specmap never writes, renames or removes it. */
  tracked: boolean;
  /** With a hook manager: the file where `specmap hook <name>` belongs. */
  managerFile: string | undefined;
  /** specmap's shim, moved aside by `lefthook install` (<hook>.old), where it no longer runs. */
  setAside: string | undefined;
}

/** The hooks of one hooks folder, as the worktree at `root` uses it. */
export interface HooksDirStatus {
  /** The worktree's top level. */
  root: string;
  dir: string;
  hooksPath: string | undefined;
  manager: HookManager | undefined;
  managerDetail: string | undefined;
  hooks: HookState[];
  /** What to do by hand: lines to add to a hook manager's files or to tracked hooks, one entry each. */
  advice: string[];
}

export interface HooksStatus extends HooksDirStatus {
  /**
   * The other worktrees whose hooks folder is not this one's (a relative core.hooksPath names a folder in each
   * worktree; extensions.worktreeConfig can give each its own); empty when all share the common dir's hooks.
   */
  worktrees: HooksDirStatus[];
}

export type HookChangeAction = 'installed' | 'updated' | 'unchanged' | 'chained' | 'removed' | 'restored' | 'absent' | 'skipped';

export interface HookChange {
  name: GitHook;
  action: HookChangeAction;
}

export interface HooksDirChange extends HooksDirStatus {
  changes: HookChange[];
}

export interface HooksChange extends HooksDirChange {
  worktrees: HooksDirChange[];
}

const isOurs = (text: string) => text.includes(SHIM_MARKER);

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const within = (outer: string, inner: string) => {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/** The hooks folder git uses in the worktree at `root`, and every hook of ours there. Reads only. */
async function dirStatus(project: Project, root: string): Promise<HooksDirStatus> {
  const wt = { root };
  const dir = await hooksDir(wt);
  const hooksPath = await configValue(wt, 'core.hooksPath');
  // A hooks folder in the work tree (core.hooksPath = .githooks, .husky) holds project files: git tracks some.
  const inWorkTree = within(root, dir) && !within(project.git.commonDir, dir);
  const rels = GIT_HOOKS.map((h) => relative(root, join(dir, h)));
  const tracked = inWorkTree ? await trackedFiles(wt, rels) : new Set<string>();
  const texts: string[] = [];
  const files = GIT_HOOKS.map((name) => {
    const path = join(dir, name);
    const text = readText(path);
    const orig = existsSync(path + CHAINED) ? readText(path + CHAINED) : undefined;
    for (const t of [text, orig]) if (t !== undefined) texts.push(t);
    const aside = readText(path + SET_ASIDE);
    return { name, path, text, chained: orig !== undefined, setAside: aside !== undefined && isOurs(aside) ? path + SET_ASIDE : undefined };
  });
  const info = detectManager(root, dir, hooksPath, texts);
  const owner = info?.owns ? info : undefined;
  const hooks: HookState[] = files.map((f) => {
    // A hook of your own (a tracked one, say) may call `specmap hook <name>` itself, as a manager's config would.
    const wired = owner ? owner.wired(f.name) : f.text !== undefined && callsSpecmapHook(f.text, f.name);
    const state: HookState['state'] = f.text === undefined ? 'missing'
      : isOurs(f.text) ? (f.text === renderShim(f.name) ? 'installed' : 'outdated')
        : wired ? 'managed' : 'foreign';
    return {
      name: f.name, path: f.path, state, chained: f.chained,
      tracked: tracked.has(relative(root, f.path)),
      managerFile: owner?.fileFor(f.name), setAside: f.setAside,
    };
  });
  const shown = (p: string) => relative(project.root, p) || '.';
  const advice: string[] = [];
  if (owner) {
    advice.push(...owner.advice(hooks.filter((h) => !owner.wired(h.name)).map((h) => h.name), root));
    for (const h of hooks) {
      if (h.state === 'missing' && owner.wired(h.name)) {
        advice.push(`${info!.manager}: ${shown(h.path)} is missing, so git runs nothing for ${h.name}: run ${info!.manager === 'lefthook' ? "'lefthook install'" : "husky's install (npm install)"}`);
      }
    }
  } else {
    for (const h of hooks) {
      if (!h.tracked) continue;
      if (h.state === 'foreign') advice.push(`${shown(h.path)} is tracked in your project, so specmap leaves it alone: add the line '${managedLine(h.name)}' to it`);
      if (h.state === 'outdated') advice.push(`${shown(h.path)} is specmap's, from another version, and tracked in your project, so specmap leaves it alone: commit a new copy or add the line '${managedLine(h.name)}' instead`);
    }
  }
  for (const h of hooks) {
    if (h.setAside) advice.push(`'lefthook install' moved specmap's ${h.name} hook to ${shown(h.setAside)}, where it no longer runs; once lefthook runs it (above), delete that file`);
  }
  if (inWorkTree && !owner) {
    const ours = hooks.filter((h) => (h.state === 'installed' || h.state === 'outdated') && !h.tracked).map((h) => relative(root, h.path));
    const visible = [...(await untrackedShown(wt, ours))].sort();
    if (visible.length > 0) {
      advice.push(`${visible.join(', ')} ${visible.length === 1 ? 'is an untracked file' : 'are untracked files'} in your project holding this machine's paths: keep ${visible.length === 1 ? 'it' : 'them'} out of commits (list ${visible.length === 1 ? 'it' : 'them'} in .git/info/exclude)`);
    }
  }
  return { root, dir, hooksPath, manager: info?.manager, managerDetail: info?.detail, hooks, advice };
}

/**
 * Which of our hooks are in the hooks folder git really uses (`git rev-parse --git-path hooks`) in this worktree
 * and in every other worktree whose folder differs, and who else manages hooks there. Reads only.
 */
export async function hooksStatus(project: Project): Promise<HooksStatus> {
  const here = await dirStatus(project, project.root);
  const worktrees: HooksDirStatus[] = [];
  const seen = new Set([here.dir]);
  for (const w of await listWorktrees(project.git)) {
    if (w.bare || w.path === project.root || !existsSync(w.path)) continue;
    const s = await dirStatus(project, w.path);
    if (seen.has(s.dir)) continue;
    seen.add(s.dir);
    worktrees.push(s);
  }
  return { ...here, worktrees };
}

/** One change to make in a hooks folder, and the file operations that make it. */
interface Step extends HookChange {
  apply?: () => void;
}

/** What install or uninstall does to each hooks folder (this worktree's first): made before anything is written. */
export interface HooksPlan {
  status: HooksStatus;
  dirs: { status: HooksDirStatus; steps: Step[] }[];
}

const dirsOf = (s: HooksStatus) => [s, ...s.worktrees];

function installSteps(s: HooksDirStatus): Step[] {
  const owned = s.hooks.some((h) => h.managerFile !== undefined);
  return s.hooks.map((h): Step => {
    // A hook manager's folder is rewritten by the manager; a tracked file is the project's.
    if (owned || h.tracked) return { name: h.name, action: 'skipped' };
    // A hook that already runs `specmap hook <name>` needs no shim in front of it.
    if (h.state === 'installed' || h.state === 'managed') return { name: h.name, action: 'unchanged' };
    if (h.state === 'foreign' && h.chained) {
      throw new SpecmapError('CONFLICT', `${h.path}${CHAINED} already exists beside a hook that is not specmap's; move one of them away first`, { kind: 'chained-hook-exists' });
    }
    const write = () => {
      mkdirSync(s.dir, { recursive: true });
      if (h.state === 'foreign') renameSync(h.path, h.path + CHAINED);
      writeFileAtomic(h.path, renderShim(h.name));
      chmodSync(h.path, 0o755);
    };
    return { name: h.name, action: h.state === 'foreign' ? 'chained' : h.state === 'outdated' ? 'updated' : 'installed', apply: write };
  });
}

function uninstallSteps(s: HooksDirStatus): Step[] {
  return s.hooks.map((h): Step => {
    const ours = h.state === 'installed' || h.state === 'outdated';
    const aside = h.setAside;
    if (h.tracked || (!ours && h.state !== 'missing')) {
      return aside ? { name: h.name, action: 'removed', apply: () => rmSync(aside) } : { name: h.name, action: 'skipped' };
    }
    if (!ours && !h.chained) return aside ? { name: h.name, action: 'removed', apply: () => rmSync(aside) } : { name: h.name, action: 'absent' };
    return {
      name: h.name,
      action: h.chained ? 'restored' : 'removed',
      apply: () => {
        if (ours) rmSync(h.path);
        if (h.chained) renameSync(h.path + CHAINED, h.path);
        if (aside) rmSync(aside);
      },
    };
  });
}

/**
 * What `hooks install` does, in every hooks folder git uses (this worktree's, and each other worktree's that
 * differs): a shim where there is none or an older one; a user's own hook renamed to <hook>.specmap-orig and run
 * first by the shim (its refusal still refuses). Nothing is written where a hook manager (husky, lefthook) owns the
 * folder, nor over a file git tracks: `advice` says which line to add where. Reads only; CONFLICT when a chained
 * copy is in the way.
 */
export async function planInstall(project: Project): Promise<HooksPlan> {
  const status = await hooksStatus(project);
  return { status, dirs: dirsOf(status).map((s) => ({ status: s, steps: installSteps(s) })) };
}

/**
 * What `hooks uninstall` does: our shims removed and any chained hook put back exactly as it was (a rename: same
 * bytes, same mode), a copy lefthook moved aside removed; tracked files and others' hooks left alone. Reads only.
 */
export async function planUninstall(project: Project): Promise<HooksPlan> {
  const status = await hooksStatus(project);
  return { status, dirs: dirsOf(status).map((s) => ({ status: s, steps: uninstallSteps(s) })) };
}

const changesOf = (steps: Step[]): HookChange[] => steps.map((x) => ({ name: x.name, action: x.action }));

/** A plan as a result without carrying it out: the status now, and the changes it would make. */
export function describePlan(plan: HooksPlan): HooksChange {
  const [here, ...others] = plan.dirs;
  return {
    ...here!.status,
    changes: changesOf(here!.steps),
    worktrees: others.map((d) => ({ ...d.status, changes: changesOf(d.steps) })),
  };
}

/** Carries out a plan (lock held) and returns the status after it, with the changes made. */
export async function applyHooksPlan(project: Project, plan: HooksPlan): Promise<HooksChange> {
  for (const d of plan.dirs) for (const step of d.steps) step.apply?.();
  const after = await hooksStatus(project);
  const byDir = new Map(plan.dirs.map((d) => [d.status.dir, changesOf(d.steps)]));
  return {
    ...after,
    changes: byDir.get(after.dir) ?? changesOf(plan.dirs[0]!.steps),
    worktrees: after.worktrees.map((w) => ({ ...w, changes: byDir.get(w.dir) ?? [] })),
  };
}
