import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from '../../shared/errors.js';
import { GIT_HOOK_ENTRY, PACKAGE_ROOT } from '../../shared/package-root.js';
import { DEFAULT_SCRATCH } from '../project/config.js';
import { HOOK_RULES } from './rules.js';

export const GIT_HOOKS = ['pre-commit', 'post-commit', 'pre-push', 'post-rewrite', 'post-merge'] as const;
export type GitHook = (typeof GIT_HOOKS)[number];

/** The line that marks a hook file as ours. */
export const SHIM_MARKER = '# specmap-hook:';

/** The shipped shim templates (hooks/ at the package root) and the entry they call (dist/bin/git-hook.cjs). */
const TEMPLATES = join(PACKAGE_ROOT, 'hooks');
const ENTRY = GIT_HOOK_ENTRY;

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A value spliced into sh unquoted so the shell expands it as a glob: only plain path characters and `*`. */
function shGlob(glob: string): string {
  if (!/^[A-Za-z0-9._/*-]+$/.test(glob)) throw new Error(`hook glob ${glob} needs quoting`);
  return glob;
}

/** What each @NAME@ in a template becomes: every value from HOOK_RULES, shell-quoted. */
function placeholders(node: string, entry: string): Record<string, string> {
  return {
    SPECMAP_NODE: shellQuote(node),
    SPECMAP_ENTRY: shellQuote(entry),
    ACTIVE_SESSIONS_GLOB: shGlob(HOOK_RULES.activeSessionsGlob),
    DEFAULT_SCRATCH_PATHSPECS: DEFAULT_SCRATCH.map((g) => shellQuote(`:(glob)${g}`)).join(' '),
    CONFIG_FILE: shellQuote(HOOK_RULES.configFile),
    SCRATCH_PATHSPECS_FILE: shellQuote(HOOK_RULES.scratchPathspecsFile),
    PENDING_COMMITS_FILE: shellQuote(HOOK_RULES.pendingCommitsFile),
    PENDING_REWRITES_FILE: shellQuote(HOOK_RULES.pendingRewritesFile),
    FAST_FORWARD_REFLOG: shellQuote(HOOK_RULES.fastForwardReflog),
    NOTES_REF: shellQuote(HOOK_RULES.notesRef),
    BACKUPS_DIR: shellQuote(HOOK_RULES.backupsDir),
    REFUSE_STATUS: String(HOOK_RULES.refuseStatus),
    MSG_SCRATCH_WARNING: shellQuote(HOOK_RULES.scratchWarning),
    MSG_BACKUPS_ALLOWED: shellQuote(HOOK_RULES.backupsAllowed),
    MSG_BACKUPS_REFUSED: shellQuote(HOOK_RULES.backupsRefused),
    MSG_BACKUPS_HINT: shellQuote(HOOK_RULES.backupsHint),
    MSG_SEVERAL_SESSIONS: shellQuote(HOOK_RULES.severalSessions),
    GUARDED_REF_PATTERNS: HOOK_RULES.guardedRefPrefixes.map((p) => shGlob(`${p}*`)).join('|'),
    ALLOW_TAG_PUSH_CONFIG: shellQuote(HOOK_RULES.allowTagPushConfig),
    MSG_PUSH_REFUSED: shellQuote(HOOK_RULES.pushRefused),
    MSG_PUSH_HINT: shellQuote(HOOK_RULES.pushHint),
  };
}

function readTemplate(file: string): string {
  try {
    return readFileSync(join(TEMPLATES, file), 'utf8');
  } catch (err) {
    throw ioError('read the hook template', join(TEMPLATES, file), err);
  }
}

/**
 * The shim for `name`: the template, each `@include <file>@` line replaced by that part shared between templates
 * (hooks/record-head.sh: post-commit's and post-merge's queueing of HEAD), then every placeholder filled; a
 * placeholder without a value is a bug.
 */
export function renderShim(name: GitHook, node = process.execPath, entry = ENTRY): string {
  const template = readTemplate(name).replace(/^@include ([a-z-]+\.sh)@\n/gm, (_, file: string) => readTemplate(file));
  const values = placeholders(node, entry);
  return template.replace(/@([A-Z_]+)@/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`hook template ${name} has no value for ${whole}`);
    return v;
  });
}
