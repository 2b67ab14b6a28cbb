import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseYaml } from '../../storage/yaml/parse.js';
import type { GitHook } from './shim.js';

// Hook managers own the hooks folder, and each has its own place where a command is added. specmap writes none of
// their files: it finds out whether they already call `specmap hook <name>` and says what to add where.
//
// - husky 9: core.hooksPath = <dir>/_ (default .husky/_), a git-ignored folder husky rewrites on every install:
//   one dispatcher per hook (`. "${0%/*}/h"`) and `h`, which runs <dir>/<hook> (the project's, tracked) with `sh -e`.
// - husky 5 to 8: core.hooksPath = <dir> (default .husky); git runs <dir>/<hook> (tracked), which sources
//   <dir>/_/husky.sh (git-ignored).
// - husky 4: its own scripts in the hooks folder (a "# husky" line), the commands under "husky": {"hooks"} in
//   package.json (or .huskyrc / .huskyrc.json).
// - lefthook: lefthook.yml (or .lefthook.yml, .config/lefthook.yml, .yaml/.json/.toml, plus lefthook-local.*); its
//   hook files (fingerprint: LEFTHOOK) call `lefthook run <hook>`. `lefthook install` removes its own files and
//   renames any other hook of a configured name to <hook>.old, so a specmap shim there silently stops running.
// - the pre-commit framework: its scripts hand over to `pre-commit hook-impl`; a chained hook is run as before.

export type HookManager = 'husky' | 'lefthook' | 'pre-commit';

export interface ManagerInfo {
  manager: HookManager;
  /**
   * The manager writes the hook files itself and breaks when they are renamed (husky finds the hook by the file's
   * name; lefthook moves others aside): specmap writes nothing there. The pre-commit framework's scripts are chained.
   */
  owns: boolean;
  /** One line: which version or layout, and where its commands live. */
  detail: string;
  /** Where `specmap hook <name>` belongs (absolute). */
  fileFor(hook: GitHook): string;
  /** Whether that file calls `specmap hook <name>` (properly: lefthook's pre-push with use_stdin). */
  wired(hook: GitHook): boolean;
  /** What to add, and where, for the hooks that are not wired; empty when all are. */
  advice(unwired: GitHook[], root: string): string[];
}

/** The hooks whose git argument `specmap hook` needs (post-merge: 1 for a squash, which made no commit; post-rewrite: amend or rebase). */
const PASSES_ARG = new Set<GitHook>(['post-merge', 'post-rewrite']);

/**
 * `specmap hook <hook>`, with git's argument where it needs it, as the runner names it: `"$1"` in a hook file,
 * `{1}` in lefthook's config, `$HUSKY_GIT_PARAMS` in husky 4's.
 */
const hookCommand = (hook: GitHook, arg = '"$1"') => `specmap hook ${hook}${PASSES_ARG.has(hook) ? ` ${arg}` : ''}`;

/** The line a husky hook file (sh -e) gets: it does nothing on a machine without specmap, and keeps its refusal. */
export const managedLine = (hook: GitHook, arg?: string) => `if command -v specmap >/dev/null 2>&1; then ${hookCommand(hook, arg)}; fi`;

/** Whether a hook script or command line runs `specmap hook <hook>` (outside a comment). */
export const callsSpecmapHook = (text: string, hook: GitHook) =>
  text.split('\n').some((l) => !l.trim().startsWith('#') && new RegExp(`\\bspecmap hook ${hook}\\b`).test(l));

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** husky 5 to 9, where core.hooksPath names the folder; husky 4 from its scripts in the hooks folder. */
function husky(root: string, dir: string, hooksPath: string | undefined, texts: string[]): ManagerInfo | undefined {
  const v9 = basename(dir) === '_' && (existsSync(join(dir, 'h')) || /(^|\/)\.husky\/_\/?$/.test(hooksPath ?? ''));
  const v5 = !v9 && (existsSync(join(dir, '_', 'husky.sh')) || /(^|\/)\.husky\/?$/.test(hooksPath ?? ''));
  if (v9 || v5) {
    const userDir = v9 ? dirname(dir) : dir;
    const rel = relative(root, userDir) || '.';
    return {
      manager: 'husky',
      owns: true,
      detail: v9 ? `husky 9: git runs ${rel}/_/<hook>, which runs your ${rel}/<hook>` : `husky 5-8: git runs ${rel}/<hook>`,
      fileFor: (hook) => join(userDir, hook),
      wired: (hook) => callsSpecmapHook(readText(join(userDir, hook)) ?? '', hook),
      advice: (unwired) => unwired.map((h) => `husky: add the line '${managedLine(h)}' to ${rel}/${h}${existsSync(join(userDir, h)) ? '' : ' (a new file)'}`),
    };
  }
  if (!texts.some((t) => /^# husky$/m.test(t) || /Hook created by Husky/i.test(t))) return undefined;
  const pkg = join(root, 'package.json');
  const hooksOf = (): Record<string, unknown> => {
    for (const f of ['.huskyrc', '.huskyrc.json']) {
      try {
        const v = JSON.parse(readText(join(root, f)) ?? 'null') as { hooks?: Record<string, unknown> } | null;
        if (v?.hooks) return v.hooks;
      } catch { /* not JSON: not read */ }
    }
    try {
      return (JSON.parse(readText(pkg) ?? '{}') as { husky?: { hooks?: Record<string, unknown> } }).husky?.hooks ?? {};
    } catch {
      return {};
    }
  };
  return {
    manager: 'husky',
    owns: true,
    detail: 'husky 4: its scripts in the hooks folder run the commands under "husky": {"hooks"} in package.json',
    fileFor: () => pkg,
    wired: (hook) => {
      const cmd = hooksOf()[hook];
      return typeof cmd === 'string' && callsSpecmapHook(cmd, hook);
    },
    advice: (unwired) => unwired.map((h) => `husky 4: in package.json, add to "husky": {"hooks": …}: "${h}": "${hookCommand(h, '$HUSKY_GIT_PARAMS')}" (after any command already there, joined with &&)`),
  };
}

const LEFTHOOK_NAMES = ['lefthook', '.lefthook', '.config/lefthook'];
const LEFTHOOK_EXTS = ['.yml', '.yaml', '.json', '.toml'];

/** lefthook's main config and local configs that exist, main first. */
function lefthookConfigs(root: string): string[] {
  const out: string[] = [];
  for (const base of [...LEFTHOOK_NAMES, ...LEFTHOOK_NAMES.map((n) => `${n}-local`)]) {
    for (const ext of LEFTHOOK_EXTS) if (existsSync(join(root, base + ext))) out.push(join(root, base + ext));
  }
  return out;
}

/** The hooks git gives input on stdin (pre-push: the refs; post-rewrite: the old and new commits). */
const READS_STDIN = new Set(['pre-push', 'post-rewrite']);

type Job = { run?: unknown; use_stdin?: unknown; group?: { jobs?: unknown } };

/** The `run` commands a lefthook config gives `hook` (commands, and jobs with their groups), with use_stdin. */
function lefthookRuns(config: unknown, hook: GitHook): { run: string; stdin: boolean }[] {
  const section = (config as Record<string, unknown> | null)?.[hook] as { commands?: unknown; jobs?: unknown } | undefined;
  if (!section || typeof section !== 'object') return [];
  const out: { run: string; stdin: boolean }[] = [];
  const take = (j: Job) => {
    if (typeof j?.run === 'string') out.push({ run: j.run, stdin: j.use_stdin === true });
    if (Array.isArray(j?.group?.jobs)) for (const g of j.group.jobs as Job[]) take(g);
  };
  if (section.commands && typeof section.commands === 'object') for (const c of Object.values(section.commands as Record<string, Job>)) take(c);
  if (Array.isArray(section.jobs)) for (const j of section.jobs as Job[]) take(j);
  return out;
}

/** Whether a lefthook config file runs `specmap hook <hook>` (TOML: read as text, the command line alone). */
function lefthookWired(file: string, hook: GitHook): boolean {
  const text = readText(file) ?? '';
  if (file.endsWith('.toml')) return callsSpecmapHook(text, hook) && (!READS_STDIN.has(hook) || /use_stdin\s*=\s*true/.test(text));
  let config: unknown;
  try {
    config = parseYaml(text, file).value; // JSON is YAML too
  } catch {
    return false;
  }
  return lefthookRuns(config, hook).some((r) => callsSpecmapHook(r.run, hook) && (!READS_STDIN.has(hook) || r.stdin));
}

export function lefthookSnippet(hooks: GitHook[]): string {
  return hooks.map((h) => [`${h}:`, '  commands:', '    specmap:', `      run: ${managedLine(h, '{1}')}`, ...(READS_STDIN.has(h) ? ['      use_stdin: true'] : [])].join('\n')).join('\n');
}

function lefthook(root: string, texts: string[]): ManagerInfo | undefined {
  const configs = lefthookConfigs(root);
  if (configs.length === 0 && !texts.some((t) => /lefthook/i.test(t))) return undefined;
  const main = configs[0] ?? join(root, 'lefthook.yml');
  const rel = relative(root, main);
  return {
    manager: 'lefthook',
    owns: true,
    detail: `lefthook: its hook files run the commands in ${rel}; 'lefthook install' rewrites them and moves other hooks aside`,
    fileFor: () => main,
    wired: (hook) => configs.some((f) => lefthookWired(f, hook)),
    advice: (unwired) => (unwired.length === 0 ? [] : [
      `lefthook: add to ${rel} (merge with what is there; pre-push and post-rewrite need use_stdin, those hooks read git's stdin), then run 'lefthook install':\n${lefthookSnippet(unwired)}`,
    ]),
  };
}

/**
 * The hook manager that owns the hooks folder `dir` of the worktree at `root`, if any; `texts` are the hook files
 * found there (and those specmap chained). Reads only.
 */
export function detectManager(root: string, dir: string, hooksPath: string | undefined, texts: string[]): ManagerInfo | undefined {
  const found = husky(root, dir, hooksPath, texts) ?? lefthook(root, texts);
  if (found) return found;
  if (!texts.some((t) => /File generated by pre-commit|pre-commit\.com/.test(t))) return undefined;
  return {
    manager: 'pre-commit',
    owns: false,
    detail: "the pre-commit framework: specmap's hooks chain its scripts, which run as before",
    fileFor: () => join(root, '.pre-commit-config.yaml'),
    wired: () => false,
    advice: () => [],
  };
}

