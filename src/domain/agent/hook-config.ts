import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpecmapError, ioError } from '../../shared/errors.js';
import { abs } from '../../shared/layout.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';

/**
 * The one merge engine for agents' hook config files (Claude Code, Codex, Gemini CLI, Cursor, Copilot CLI): read the
 * JSON object safely, find specmap's handlers by their command, add, update or remove them, say what is there.
 * Every other key, event, group and handler is the user's and is kept as it is.
 */

export type Handler = Record<string, unknown>;

/** How an agent's hooks file is laid out. */
export interface HookFile {
  /** Relative to the project root. */
  file: string;
  /**
   * grouped: `hooks.<event>` is a list of `{ matcher?, hooks: [handler…] }` (Claude Code, Codex, Gemini CLI);
   * flat: a list of handlers, each carrying its own matcher (Cursor, Copilot CLI).
   */
  shape: 'grouped' | 'flat';
  /** The handler key that holds the shell command: "command", or Copilot's "bash". */
  commandKey: string;
  /** Keys a file specmap creates starts with (Cursor's and Copilot's `"version": 1`). */
  preamble?: Record<string, unknown>;
}

/** What specmap wants under one event: its handlers, complete with their commands, and the group's matcher. */
export interface DesiredEvent {
  event: string;
  /** Grouped layouts only; a flat layout's handlers carry their own. */
  matcher?: string;
  handlers: Handler[];
}

/** installed: as specmap would write it; outdated: specmap's, with another command spelling, matcher or filter. */
export type HookState = 'installed' | 'outdated' | 'missing';

export interface HookInstallResult {
  file: string;
  added: string[];
  alreadyPresent: string[];
  updated: string[];
}

export interface HookStatusResult {
  file: string;
  exists: boolean;
  events: { event: string; state: HookState }[];
}

export interface HookUninstallResult {
  file: string;
  /** Events specmap's handlers were removed from. */
  removed: string[];
  /** The file held nothing but what specmap had put there, and is gone. */
  deleted: boolean;
}

/**
 * A hook command of specmap's, however it was spelled when installed: `specmap agent-hook`, the PATH guard
 * `command -v specmap … && specmap agent-hook codex || true`, a node path to specmap.js, npx …, and the
 * record-only events' `specmap-record <agent>` (a path to bin/specmap-record in the plugin)
 */
export function isOurCommand(command: unknown): boolean {
  return typeof command === 'string' && (/(^|[\s/'"])(specmap|specmap\.c?js)['"]?\s+agent-hook\b/.test(command) || /(^|[\s/'"])specmap-record['"]?(\s|$)/.test(command));
}

/** A JSON object file to merge into; missing or empty is {}, anything unreadable is an error, never overwritten. */
export function readJsonObject(path: string, rel: string): Record<string, unknown> {
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
    throw new SpecmapError('CORRUPT_DATA', `${rel} is not valid JSON (${(err as Error).message}); fix it first, specmap will not overwrite it`, { kind: 'settings' });
  }
  if (!isObject(value)) throw new SpecmapError('CORRUPT_DATA', `${rel} is not a JSON object; fix it first, specmap will not overwrite it`, { kind: 'settings' });
  return value;
}

/** Writes a merged JSON object the way specmap writes every config file: two-space indent, final newline. */
export function writeJsonObject(path: string, value: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Merges specmap's handlers into the file; writes it only when something changed. */
export function installHookFile(root: string, spec: HookFile, desired: DesiredEvent[]): HookInstallResult {
  const path = abs(root, spec.file);
  const created = !existsSync(path);
  const config = readJsonObject(path, spec.file);
  const hooks = hooksOf(config, spec.file);
  const result: HookInstallResult = { file: spec.file, added: [], alreadyPresent: [], updated: [] };
  for (const d of desired) {
    const list = eventList(hooks, d.event, spec);
    const state = stateOf(list, d, spec);
    if (state === 'installed') {
      result.alreadyPresent.push(d.event);
      continue;
    }
    hooks[d.event] = withOurs(list, d, spec);
    (state === 'missing' ? result.added : result.updated).push(d.event);
  }
  if (result.added.length > 0 || result.updated.length > 0) {
    writeJsonObject(path, created ? { ...spec.preamble, ...config, hooks } : { ...config, hooks });
  }
  return result;
}

/** Per event: is specmap's hook there as it would write it, there in another spelling, or missing. Reads only. */
export function hookFileStatus(root: string, spec: HookFile, desired: DesiredEvent[]): HookStatusResult {
  const path = abs(root, spec.file);
  const config = readJsonObject(path, spec.file);
  const hooks = hooksOf(config, spec.file);
  return {
    file: spec.file,
    exists: existsSync(path),
    events: desired.map((d) => ({ event: d.event, state: stateOf(eventList(hooks, d.event, spec), d, spec) })),
  };
}

/**
 * Removes specmap's handlers from every event of the file (whatever their spelling), with the groups and events
 * that held nothing else; deletes the file only when nothing but what specmap creates is left in it.
 */
export function uninstallHookFile(root: string, spec: HookFile, desired: DesiredEvent[]): HookUninstallResult {
  const path = abs(root, spec.file);
  const result: HookUninstallResult = { file: spec.file, removed: [], deleted: false };
  if (!existsSync(path)) return result;
  const config = readJsonObject(path, spec.file);
  const hooks = hooksOf(config, spec.file);
  for (const d of desired) eventList(hooks, d.event, spec); // a malformed entry is refused, as on install
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list) || !list.some((item) => holdsOurs(item, spec))) continue;
    const rest = withoutOurs(list, spec).list;
    if (rest.length > 0) hooks[event] = rest;
    else delete hooks[event];
    result.removed.push(event);
  }
  if (result.removed.length === 0) return result;
  const next: Record<string, unknown> = { ...config, hooks };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  if (sameJson(next, {}) || sameJson(next, spec.preamble ?? {})) {
    try {
      rmSync(path);
    } catch (err) {
      throw ioError('remove', spec.file, err);
    }
    result.deleted = true;
  } else {
    writeJsonObject(path, next);
  }
  return result;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hooksOf(config: Record<string, unknown>, rel: string): Record<string, unknown> {
  const hooks = config.hooks ?? {};
  if (!isObject(hooks)) throw new SpecmapError('CORRUPT_DATA', `${rel}: "hooks" is not an object; fix it first, specmap will not overwrite it`, { kind: 'settings' });
  return hooks;
}

/** The event's list, checked: a list of groups (grouped) or of handler objects (flat); anything else is refused. */
function eventList(hooks: Record<string, unknown>, event: string, spec: HookFile): unknown[] {
  const list = hooks[event];
  if (list === undefined) return [];
  const refuse = (what: string) => new SpecmapError('CORRUPT_DATA', `${spec.file}: hooks.${event}${what}; fix it first, specmap will not overwrite it`, { kind: 'settings' });
  if (!Array.isArray(list)) throw refuse(' is not a list');
  list.forEach((item, i) => {
    if (!isObject(item)) throw refuse(`[${i}] is not an object`);
    if (spec.shape === 'grouped' && item.hooks !== undefined && !Array.isArray(item.hooks)) throw refuse(`[${i}].hooks is not a list`);
  });
  return list;
}

function ourHandlers(item: unknown, spec: HookFile): Handler[] {
  if (!isObject(item)) return [];
  if (spec.shape === 'flat') return isOurCommand(item[spec.commandKey]) ? [item] : [];
  return Array.isArray(item.hooks) ? item.hooks.filter((h): h is Handler => isObject(h) && isOurCommand(h[spec.commandKey])) : [];
}

const holdsOurs = (item: unknown, spec: HookFile): boolean => ourHandlers(item, spec).length > 0;

function stateOf(list: unknown[], d: DesiredEvent, spec: HookFile): HookState {
  const holding = list.filter((item) => holdsOurs(item, spec));
  if (holding.length === 0) return 'missing';
  if (spec.shape === 'flat') return sameJson(holding, d.handlers) ? 'installed' : 'outdated';
  const group = holding[0] as Record<string, unknown>;
  return holding.length === 1 && group.matcher === d.matcher && sameJson(ourHandlers(group, spec), d.handlers) ? 'installed' : 'outdated';
}

/**
 * The list without specmap's handlers (a group left empty by that goes too), and where the first of them stood:
 * the new ones go there, so re-running init keeps the order the user arranged.
 */
function withoutOurs(list: unknown[], spec: HookFile): { list: unknown[]; at: number; reuse?: Record<string, unknown> } {
  const out: unknown[] = [];
  let at = -1;
  let reuse: Record<string, unknown> | undefined;
  for (const item of list) {
    if (!holdsOurs(item, spec)) {
      out.push(item);
      continue;
    }
    if (spec.shape === 'grouped') {
      const group = item as Record<string, unknown>;
      const rest = (group.hooks as unknown[]).filter((h) => !(isObject(h) && isOurCommand(h[spec.commandKey])));
      if (rest.length > 0) out.push({ ...group, hooks: rest });
      else if (at < 0) reuse = group; // a group of specmap's own keeps any other keys the user gave it
    }
    if (at < 0) at = out.length;
  }
  return { list: out, at, ...(reuse ? { reuse } : {}) };
}

function withOurs(list: unknown[], d: DesiredEvent, spec: HookFile): unknown[] {
  const { list: out, at, reuse } = withoutOurs(list, spec);
  let items: unknown[] = d.handlers;
  if (spec.shape === 'grouped') {
    const { matcher: _old, hooks: _hooks, ...keep } = reuse ?? {};
    items = [{ ...(d.matcher !== undefined ? { matcher: d.matcher } : {}), ...keep, hooks: d.handlers }];
  }
  if (at < 0) out.push(...items);
  else out.splice(at, 0, ...items);
  return out;
}

/** Equal as JSON values, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
