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
  /** CI: no progress bars. */
  ci: boolean;
  /** NO_COLOR: no colour in terminal output. */
  noColor: boolean;
  /** SPECMAP_TEST_KILL_AT: the named step at which the process kills itself (crash tests; shared/kill-point.ts). */
  testKillAt: string | undefined;
}

const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

function nonNegative(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Parses settings from an environment (pure: tests pass their own). */
export function settingsFrom(env: NodeJS.ProcessEnv): Settings {
  const pinned = env.SPECMAP_NOW ? new Date(env.SPECMAP_NOW) : undefined;
  return {
    now: pinned && !Number.isNaN(pinned.getTime()) ? pinned : undefined,
    lockTimeoutMs: nonNegative(env.SPECMAP_LOCK_TIMEOUT_MS) ?? DEFAULT_LOCK_TIMEOUT_MS,
    hookLockWaitMs: nonNegative(env.SPECMAP_HOOK_LOCK_WAIT_MS) ?? 1000,
    zipInMemoryMax: nonNegative(env.SPECMAP_ZIP_IN_MEMORY_MAX),
    session: env.SPECMAP_SESSION || undefined,
    focus: env.SPECMAP_FOCUS || undefined,
    allowBackupCommit: env.SPECMAP_ALLOW === '1',
    background: env.SPECMAP_BACKGROUND !== '0',
    debug: Boolean(env.SPECMAP_DEBUG),
    agentProjectDir: env.CLAUDE_PROJECT_DIR || undefined,
    geminiProjectDir: env.GEMINI_PROJECT_DIR || undefined,
    cursorProjectDir: env.CURSOR_PROJECT_DIR || undefined,
    ci: Boolean(env.CI),
    noColor: Boolean(env.NO_COLOR),
    testKillAt: env.SPECMAP_TEST_KILL_AT || undefined,
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

const KEYS = ['SPECMAP_NOW', 'SPECMAP_LOCK_TIMEOUT_MS', 'SPECMAP_HOOK_LOCK_WAIT_MS', 'SPECMAP_ZIP_IN_MEMORY_MAX', 'SPECMAP_SESSION', 'SPECMAP_FOCUS', 'SPECMAP_ALLOW', 'SPECMAP_BACKGROUND', 'SPECMAP_DEBUG', 'CLAUDE_PROJECT_DIR', 'GEMINI_PROJECT_DIR', 'CURSOR_PROJECT_DIR', 'CI', 'NO_COLOR'] as const;

function snapshot(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(KEYS.map((k) => [k, env[k]]));
}

function sameSpecmapEnv(a: NodeJS.ProcessEnv, b: NodeJS.ProcessEnv): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}
