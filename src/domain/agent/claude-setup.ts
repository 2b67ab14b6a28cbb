import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { SKILLS, type SkillName } from './skill-text.js';
import { shellWords } from '../../shared/shell-words.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

export const CLAUDE_SETTINGS = '.claude/settings.json';

/** The Claude Code events specmap listens to, with the tool matcher where the event takes one. */
const EVENTS: { event: string; matcher?: string; timeout?: number }[] = [
  { event: 'SessionStart' },
  // Claude Code 2's file tools (MultiEdit is gone); the adapter still accepts MultiEdit payloads from older versions.
  { event: 'PostToolUse', matcher: 'Write|Edit|NotebookEdit' },
  { event: 'Stop' },
  // Claude Code gives a SessionEnd hook 1.5 s unless the entry says otherwise; ending needs a little more on a
  // large session (the ZIP itself is written later, in the background).
  { event: 'SessionEnd', timeout: 30 },
];

export interface HookCommand { type?: string; command?: string; [k: string]: unknown }
export interface HookGroup { matcher?: string; hooks?: HookCommand[]; [k: string]: unknown }

/**
 * specmap's Claude Code hooks block for `command` (the "hooks" object of a settings file, or of a plugin's
 * hooks/hooks.json): the one description of which events specmap listens to, used by `init --claude` and the plugin.
 */
export function claudeHooksConfig(command: string): Record<string, HookGroup[]> {
  const config: Record<string, HookGroup[]> = {};
  for (const { event, matcher, timeout } of EVENTS) {
    (config[event] ??= []).push({ ...(matcher ? { matcher } : {}), hooks: [{ type: 'command', command, ...(timeout ? { timeout } : {}) }] });
  }
  return config;
}

export interface ClaudeHooksResult {
  file: string;
  added: string[];
  alreadyPresent: string[];
  /** Events whose specmap hook was there with another command or matcher, and now has this one. */
  updated: string[];
}

/** A hook command of ours, however it was spelled when installed (`specmap agent-hook`, a node path, npx …). */
const isOurCommand = (command: unknown): boolean => typeof command === 'string' && /(^|[\s/'"])(specmap|specmap\.js)['"]?\s+agent-hook\b/.test(command);

/**
 * Merges specmap's hook entries into .claude/settings.json: other settings and hooks are kept as they are, an
 * entry already there is not added twice, and an unreadable file is an error rather than something to overwrite.
 * Lock held.
 */
export function installClaudeHooks(project: Project, command = 'specmap agent-hook'): ClaudeHooksResult {
  const path = abs(project.root, CLAUDE_SETTINGS);
  const settings = readJsonObject(path, CLAUDE_SETTINGS);
  const hooks = (settings.hooks ?? {}) as Record<string, HookGroup[]>;
  if (typeof hooks !== 'object' || Array.isArray(hooks)) throw new SpecmapError('CORRUPT_DATA', `${CLAUDE_SETTINGS}: "hooks" is not an object`);
  const added: string[] = [];
  const alreadyPresent: string[] = [];
  const updated: string[] = [];
  for (const { event, matcher, timeout } of EVENTS) {
    if (hooks[event] !== undefined && !Array.isArray(hooks[event])) {
      throw new SpecmapError('CORRUPT_DATA', `${CLAUDE_SETTINGS}: hooks.${event} is not a list; fix it first, specmap will not overwrite it`, { kind: 'settings' });
    }
    const groups = (hooks[event] ?? []) as HookGroup[];
    // Ours: the group holding a specmap agent-hook command, whatever its spelling; the user's groups are kept as they are.
    const ours = groups.find((g) => g && typeof g === 'object' && Array.isArray(g.hooks) && g.hooks.some((h) => isOurCommand(h?.command)));
    if (!ours) {
      groups.push({ ...(matcher ? { matcher } : {}), hooks: [{ type: 'command', command, ...(timeout ? { timeout } : {}) }] });
      hooks[event] = groups;
      added.push(event);
      continue;
    }
    const hook = ours.hooks!.find((h) => isOurCommand(h?.command))!;
    if (hook.command === command && ours.matcher === matcher && (timeout === undefined || hook.timeout === timeout)) {
      alreadyPresent.push(event);
      continue;
    }
    hook.command = command;
    if (timeout) hook.timeout = timeout;
    if (matcher) ours.matcher = matcher;
    else delete ours.matcher;
    updated.push(event);
  }
  if (added.length > 0 || updated.length > 0) {
    settings.hooks = hooks;
    mkdirSync(abs(project.root, '.claude'), { recursive: true });
    writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
  }
  return { file: CLAUDE_SETTINGS, added, alreadyPresent, updated };
}

/** A JSON object file to merge into; missing or empty is {}, anything unreadable is an error, never overwritten. */
function readJsonObject(path: string, rel: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw ioError('read', rel, err);
  }
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new SpecmapError('CORRUPT_DATA', `${rel} is not valid JSON (${(err as Error).message}); fix it first, specmap will not overwrite it`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SpecmapError('CORRUPT_DATA', `${rel} is not a JSON object`);
  return value as Record<string, unknown>;
}

export const MCP_CONFIG = '.mcp.json';


export interface McpConfigResult {
  file: string;
  /** added: the entry was written; present: an identical one was there; kept: a different "specmap" entry was left alone. */
  action: 'added' | 'present' | 'kept';
}

/**
 * Adds the specmap server to the project's .mcp.json (Claude Code's project-scoped MCP servers), merging: other
 * servers and keys stay, and an existing "specmap" entry is the user's and is never replaced. Lock held.
 */
export function installMcpConfig(project: Project, commandLine = 'specmap mcp'): McpConfigResult {
  const [command, ...args] = shellWords(commandLine);
  if (!command) throw new SpecmapError('INVALID_INPUT', 'the MCP server command is empty', { kind: 'command' });
  const path = abs(project.root, MCP_CONFIG);
  const config = readJsonObject(path, MCP_CONFIG);
  const servers = config.mcpServers ?? {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new SpecmapError('CORRUPT_DATA', `${MCP_CONFIG}: "mcpServers" is not an object`);
  const entry = { command: command!, args };
  const existing = (servers as Record<string, unknown>).specmap;
  if (existing !== undefined) {
    return { file: MCP_CONFIG, action: JSON.stringify(existing) === JSON.stringify(entry) ? 'present' : 'kept' };
  }
  config.mcpServers = { ...servers, specmap: entry };
  writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
  return { file: MCP_CONFIG, action: 'added' };
}

export interface SkillInstallResult {
  file: string;
  action: 'written' | 'unchanged' | 'replaced';
}

/** The skill named `name`, or INVALID_INPUT naming the ones there are. */
export function checkSkillName(name: string): SkillName {
  if (!(name in SKILLS)) {
    throw new SpecmapError('INVALID_INPUT', `unknown skill ${JSON.stringify(name.slice(0, 60))}; available: ${Object.keys(SKILLS).join(', ')}`, { kind: 'skill' });
  }
  return name as SkillName;
}

/** Writes .claude/skills/<name>/SKILL.md; a copy the user edited is replaced only with `force` (else CONFLICT). Lock held. */
export function installSkill(project: Project, input: { name: SkillName; force?: boolean }): SkillInstallResult {
  const text = SKILLS[input.name];
  const rel = `.claude/skills/${input.name}/SKILL.md`;
  const path = abs(project.root, rel);
  let action: SkillInstallResult['action'] = 'written';
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8');
    if (current === text) return { file: rel, action: 'unchanged' };
    if (!input.force) throw new SpecmapError('CONFLICT', `${rel} exists and differs from specmap's`, { kind: 'skill-edited' });
    action = 'replaced';
  }
  mkdirSync(abs(project.root, `.claude/skills/${input.name}`), { recursive: true });
  writeFileAtomic(path, text);
  return { file: rel, action };
}
