import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import type { Project } from '../project/project.js';
import { SKILLS, type SkillName } from './skill-text.js';
import { shellWords } from '../../shared/shell-words.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { AGENT_HOOK_SPECS, customHookCommand, hookCommands } from './agent-hook-specs.js';
import { installHookFile, readJsonObject, sameJson, writeJsonObject, type HookInstallResult } from './hook-config.js';

export const CLAUDE_SETTINGS = AGENT_HOOK_SPECS.claude.file.file;

export interface HookCommand { type?: string; command?: string; [k: string]: unknown }
export interface HookGroup { matcher?: string; hooks?: HookCommand[]; [k: string]: unknown }

/**
 * specmap's Claude Code hooks block for `command` (the "hooks" object of a settings file, or of a plugin's
 * hooks/hooks.json): the one description of which events specmap listens to, used by `init --claude` and the plugin.
 */
export function claudeHooksConfig(command: string, record?: string): Record<string, HookGroup[]> {
  const config: Record<string, HookGroup[]> = {};
  for (const { event, matcher, handlers } of AGENT_HOOK_SPECS.claude.events(customHookCommand(command), customHookCommand(record ?? command))) {
    (config[event] ??= []).push({ ...(matcher ? { matcher } : {}), hooks: handlers as HookCommand[] });
  }
  return config;
}

export type ClaudeHooksResult = HookInstallResult;

/**
 * Merges specmap's hook entries into .claude/settings.json: other settings and hooks are kept as they are, an
 * entry already there is not added twice, and an unreadable file is an error rather than something to overwrite.
 * Without `command`, the PATH-guarded default. Lock held.
 */
export function installClaudeHooks(project: Project, command?: string): ClaudeHooksResult {
  const spec = AGENT_HOOK_SPECS.claude;
  return installHookFile(project.root, spec.file, spec.events(...hookCommands('claude', command)));
}

export const MCP_CONFIG = '.mcp.json';

export interface McpConfigResult {
  file: string;
  /** added: the entry was written; present: an identical one was there; kept: a different "specmap" entry was left alone. */
  action: 'added' | 'present' | 'kept';
}

function mcpEntry(commandLine: string): { command: string; args: string[] } {
  const [command, ...args] = shellWords(commandLine);
  if (!command) throw new SpecmapError('INVALID_INPUT', 'the MCP server command is empty', { kind: 'command' });
  return { command, args };
}

function mcpServers(config: Record<string, unknown>): Record<string, unknown> {
  const servers = config.mcpServers ?? {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new SpecmapError('CORRUPT_DATA', `${MCP_CONFIG}: "mcpServers" is not an object`, { kind: 'settings' });
  return servers as Record<string, unknown>;
}

/**
 * Adds the specmap server to the project's .mcp.json (Claude Code's project-scoped MCP servers), merging: other
 * servers and keys stay, and an existing "specmap" entry is the user's and is never replaced. Lock held.
 */
export function installMcpConfig(project: Project, commandLine = 'specmap mcp'): McpConfigResult {
  const entry = mcpEntry(commandLine);
  const path = abs(project.root, MCP_CONFIG);
  const config = readJsonObject(path, MCP_CONFIG);
  const servers = mcpServers(config);
  const existing = servers.specmap;
  if (existing !== undefined) return { file: MCP_CONFIG, action: sameJson(existing, entry) ? 'present' : 'kept' };
  config.mcpServers = { ...servers, specmap: entry };
  writeJsonObject(path, config);
  return { file: MCP_CONFIG, action: 'added' };
}

/** present: the entry `init --claude` writes; different: a "specmap" server of the user's; missing. Reads only. */
export function mcpConfigStatus(project: Project, commandLine = 'specmap mcp'): { file: string; state: 'present' | 'different' | 'missing' } {
  const existing = mcpServers(readJsonObject(abs(project.root, MCP_CONFIG), MCP_CONFIG)).specmap;
  return { file: MCP_CONFIG, state: existing === undefined ? 'missing' : sameJson(existing, mcpEntry(commandLine)) ? 'present' : 'different' };
}

/**
 * Removes the "specmap" server from .mcp.json only when it is exactly the entry specmap writes (a different one is
 * the user's: kept); an emptied mcpServers goes too, and the file when nothing else is left in it. Lock held.
 */
export function uninstallMcpConfig(project: Project, commandLine = 'specmap mcp'): { file: string; action: 'removed' | 'kept' | 'absent'; deleted: boolean } {
  const path = abs(project.root, MCP_CONFIG);
  const config = readJsonObject(path, MCP_CONFIG);
  const servers = mcpServers(config);
  if (servers.specmap === undefined) return { file: MCP_CONFIG, action: 'absent', deleted: false };
  if (!sameJson(servers.specmap, mcpEntry(commandLine))) return { file: MCP_CONFIG, action: 'kept', deleted: false };
  const { specmap: _ours, ...rest } = servers;
  const next: Record<string, unknown> = { ...config, mcpServers: rest };
  if (Object.keys(rest).length === 0) delete next.mcpServers;
  if (Object.keys(next).length === 0) {
    rmSync(path);
    return { file: MCP_CONFIG, action: 'removed', deleted: true };
  }
  writeJsonObject(path, next);
  return { file: MCP_CONFIG, action: 'removed', deleted: false };
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
