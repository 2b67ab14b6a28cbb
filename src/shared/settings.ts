import { delimiter } from 'node:path';
import { SpecmapError } from './errors.js';

/**
 * Every setting specmap takes from the environment (its own SPECMAP_* variables, and the few that agents and CI set
 * for it), read in one place. Front doors and domain code ask here
 * instead of reading process.env, so each variable has one meaning and one parser. Project settings from
 * 04-agents/config.yaml are read by domain/project/config.ts.
 */
export interface Settings {
  /** SPECMAP_NOW: pins the clock (ISO date-time; local time when it has no offset). */
  now: Date | undefined;
  /** SPECMAP_LOCK_TIMEOUT_MS: how long a command waits for the repository lock (default 15 s). */
  lockTimeoutMs: number;
  /** SPECMAP_HOOK_LOCK_WAIT_MS: how long an agent hook waits for the lock before it queues its event (default 1 s). */
  hookLockWaitMs: number;
  /** SPECMAP_PROGRESS_AFTER_MS: how long a command runs before its progress line appears on a terminal (default 0.3 s). */
  progressAfterMs: number;
  /** SPECMAP_ZIP_IN_MEMORY_MAX: ZIPs up to this size are read whole; larger ones are streamed. */
  zipInMemoryMax: number | undefined;
  /** SPECMAP_SESSION: the session hooks record into when several are active. */
  session: string | undefined;
  /** SPECMAP_FOCUS: the focus an agent hook gives a session it starts. */
  focus: string | undefined;
  /** SPECMAP_ALLOW=1: the pre-commit hook lets backups be committed (with a warning). */
  allowBackupCommit: boolean;
  /** SPECMAP_BACKGROUND=0: hooks do their deferred work in the foreground (tests, CI). */
  background: boolean;
  /** SPECMAP_DEBUG: internal errors print their stack. */
  debug: boolean;
  /** CLAUDE_PROJECT_DIR: the project folder Claude Code runs its hooks for (it does not follow the agent's `cd`). */
  agentProjectDir: string | undefined;
  /** GEMINI_PROJECT_DIR: the project folder Gemini CLI runs its hooks for. */
  geminiProjectDir: string | undefined;
  /** CURSOR_PROJECT_DIR: the project folder Cursor runs its hooks for. */
  cursorProjectDir: string | undefined;
  /** CLAUDE_CONFIG_DIR: Claude Code's config folder (transcripts under its projects/), when not ~/.claude. */
  claudeConfigDir: string | undefined;
  /** CODEX_HOME: Codex's folder (transcripts under its sessions/), when not ~/.codex. */
  codexHome: string | undefined;
  /** SPECMAP_MCP_ALLOW_PATHS: folders (separated by the path delimiter, `:`) the MCP server may open besides its own and the client's roots. */
  mcpAllowPaths: string[];
  /** SPECMAP_RCLONE: the rclone program off-site backups run (default `rclone`, found on PATH). */
  rclone: string;
  /** CI: no progress bars. */
  ci: boolean;
  /** NO_COLOR (set and not empty): no colour in terminal output, unless --color or git's color.ui asks for it. */
  noColor: boolean;
  /** FORCE_COLOR: colour even off a terminal (`0` or `false`: never), unless --color or git's color.ui says otherwise. */
  forceColor: boolean | undefined;
  /** TERM: `dumb` gets no colour and no progress line. */
  term: string | undefined;
  /** GIT_PAGER, then git's core.pager, then PAGER: the pager for log, show, diff and replay (git's order). */
  gitPager: string | undefined;
  pager: string | undefined;
  /** LESS and LV: given to the pager as they are; when unset, git's defaults (LESS=FRX, LV=-c) are. */
  less: string | undefined;
  lv: string | undefined;
  /** SPECMAP_TEST_KILL_AT: the named step at which the process kills itself (crash tests; shared/kill-point.ts). */
  testKillAt: string | undefined;
  /** SPECMAP_TEST_KILL_STEP: tests only, the numbered step (git call or rename) at which to SIGKILL this process. */
  testKillStep: number | undefined;
  /** SPECMAP_TEST_STEPS_FILE: tests only, where to list every numbered step this process takes. */
  testStepsFile: string | undefined;
}

const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

/**
 * A whole number of 0 or more (milliseconds, bytes) from `name`; unset or empty is `undefined`. Anything else
 * (`-5`, `1e3`, `lots`, `15s`) is a USAGE error naming the variable: a setting silently ignored is a setting the
 * user thinks is in force.
 */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, unit: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const v = /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(v)) throw new SpecmapError('USAGE', `${name} must be a whole number of ${unit} (0 or more), not ${JSON.stringify(clip(text))}`, { kind: 'setting', variable: name });
  return v;
}

/** An ISO 8601 date-time (local time without an offset) from SPECMAP_NOW; anything else is a USAGE error. */
function isoDate(env: NodeJS.ProcessEnv, name: string): Date | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const shape = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
  const d = shape.test(text) ? new Date(text.replace(' ', 'T')) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new SpecmapError('USAGE', `${name} must be an ISO date-time such as 2025-10-25T14:30:00, not ${JSON.stringify(clip(text))}`, { kind: 'setting', variable: name });
  }
  return d;
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/**
 * Parses settings from an environment (pure: tests pass their own). A number or date that does not parse throws a
 * USAGE error naming the variable (the CLI exits 2 with that one line; hooks report it and carry on).
 */
export function settingsFrom(env: NodeJS.ProcessEnv): Settings {
  return {
    now: isoDate(env, 'SPECMAP_NOW'),
    lockTimeoutMs: wholeNumber(env, 'SPECMAP_LOCK_TIMEOUT_MS', 'milliseconds') ?? DEFAULT_LOCK_TIMEOUT_MS,
    hookLockWaitMs: wholeNumber(env, 'SPECMAP_HOOK_LOCK_WAIT_MS', 'milliseconds') ?? 1000,
    progressAfterMs: wholeNumber(env, 'SPECMAP_PROGRESS_AFTER_MS', 'milliseconds') ?? 300,
    zipInMemoryMax: wholeNumber(env, 'SPECMAP_ZIP_IN_MEMORY_MAX', 'bytes'),
    session: env.SPECMAP_SESSION || undefined,
    focus: env.SPECMAP_FOCUS || undefined,
    allowBackupCommit: env.SPECMAP_ALLOW === '1',
    background: env.SPECMAP_BACKGROUND !== '0',
    debug: Boolean(env.SPECMAP_DEBUG),
    agentProjectDir: env.CLAUDE_PROJECT_DIR || undefined,
    geminiProjectDir: env.GEMINI_PROJECT_DIR || undefined,
    cursorProjectDir: env.CURSOR_PROJECT_DIR || undefined,
    claudeConfigDir: env.CLAUDE_CONFIG_DIR || undefined,
    codexHome: env.CODEX_HOME || undefined,
    mcpAllowPaths: (env.SPECMAP_MCP_ALLOW_PATHS ?? '').split(delimiter).filter((p) => p !== ''),
    rclone: env.SPECMAP_RCLONE || 'rclone',
    ci: Boolean(env.CI),
    noColor: Boolean(env.NO_COLOR),
    forceColor: env.FORCE_COLOR === undefined || env.FORCE_COLOR === '' ? undefined : !['0', 'false'].includes(env.FORCE_COLOR.trim().toLowerCase()),
    term: env.TERM || undefined,
    gitPager: env.GIT_PAGER,
    pager: env.PAGER,
    less: env.LESS,
    lv: env.LV,
    testKillAt: env.SPECMAP_TEST_KILL_AT || undefined,
    testKillStep: wholeNumber(env, 'SPECMAP_TEST_KILL_STEP', 'steps'),
    testStepsFile: env.SPECMAP_TEST_STEPS_FILE || undefined,
  };
}

let current: Settings | undefined;
let currentEnv: NodeJS.ProcessEnv | undefined;

/**
 * This process's settings, parsed once. A long-lived process (the MCP server, a test) that changes process.env
 * sees the change: the cache is keyed on the variables' values, which is cheap to compare.
 */
export function settings(): Settings {
  const env = process.env;
  if (current && currentEnv && sameSpecmapEnv(currentEnv, env)) return current;
  currentEnv = snapshot(env);
  current = settingsFrom(env);
  return current;
}

const KEYS = ['SPECMAP_NOW', 'SPECMAP_LOCK_TIMEOUT_MS', 'SPECMAP_HOOK_LOCK_WAIT_MS', 'SPECMAP_PROGRESS_AFTER_MS', 'SPECMAP_ZIP_IN_MEMORY_MAX', 'SPECMAP_SESSION', 'SPECMAP_FOCUS', 'SPECMAP_ALLOW', 'SPECMAP_BACKGROUND', 'SPECMAP_DEBUG', 'CLAUDE_PROJECT_DIR', 'GEMINI_PROJECT_DIR', 'CURSOR_PROJECT_DIR', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'SPECMAP_MCP_ALLOW_PATHS', 'SPECMAP_RCLONE', 'SPECMAP_TEST_KILL_AT', 'SPECMAP_TEST_KILL_STEP', 'SPECMAP_TEST_STEPS_FILE', 'CI', 'NO_COLOR', 'FORCE_COLOR', 'TERM', 'GIT_PAGER', 'PAGER', 'LESS', 'LV'] as const;

function snapshot(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(KEYS.map((k) => [k, env[k]]));
}

function sameSpecmapEnv(a: NodeJS.ProcessEnv, b: NodeJS.ProcessEnv): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}
