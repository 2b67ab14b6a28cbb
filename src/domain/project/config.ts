import { existsSync } from 'node:fs';
import { parseYaml, readYamlText } from '../../storage/yaml/parse.js';
import { SpecmapError } from '../../shared/errors.js';
import { AGENTS_DIR, abs } from '../../shared/layout.js';
import { DEFAULT_DAILY_ITEMS } from '../backup/layout.js';
import type { Project } from './project.js';
import { DEFAULT_SECRET_FILES } from '../checkpoint/secret-files.js';

export const CONFIG_FILE = `${AGENTS_DIR}/config.yaml`;

/** Project settings from 04-agents/config.yaml; every key is optional. */
export interface ProjectConfig {
  /** Globs of staged files the pre-commit hook warns about (scratch work that rarely belongs in history). */
  scratch: string[];
  /** Agent hooks: take a checkpoint when the agent stops. */
  checkpointOnStop: boolean;
  /** What `backup daily` backs up (project-relative files or folders). */
  dailyItems: string[];
  /** `backup: {offsite: "remote:path"}`: where `backup offsite` and `restore --from` go when not told. */
  offsite: string | undefined;
  /** Extra redaction regexes for stored agent transcripts. */
  redactPatterns: string[];
  /** Globs of files checkpoints never take unless named exactly (secrets.files, after the defaults). */
  secretFiles: string[];
  raw: Record<string, unknown>;
}

export const DEFAULT_SCRATCH = [`${AGENTS_DIR}/sessions/active/*/notes/**`];

const read = new WeakMap<Project, ProjectConfig>();

/**
 * The project's config.yaml, read once per opened project (a transaction opens the project once, so every rule in
 * one command sees the same config and the file is parsed once). CORRUPT_DATA when it is not a valid config.
 */
export function projectConfig(project: Project): ProjectConfig {
  let config = read.get(project);
  if (!config) {
    config = parseConfigFile(project.root);
    read.set(project, config);
  }
  return config;
}

function parseConfigFile(root: string): ProjectConfig {
  const path = abs(root, CONFIG_FILE);
  let raw: Record<string, unknown> = {};
  if (existsSync(path)) {
    let js: unknown;
    try {
      js = parseYaml(readYamlText(path, CONFIG_FILE), CONFIG_FILE).value;
    } catch (err) {
      if (!(err instanceof SpecmapError) || err.code !== 'CORRUPT_DATA') throw err;
      const line = err.details.line;
      if (err.details.kind === 'yaml-syntax') throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}:${typeof line === 'number' ? line : '?'}: invalid YAML`, { kind: 'config' });
      throw new SpecmapError('CORRUPT_DATA', err.message, { kind: 'config' });
    }
    if (js !== null && js !== undefined) {
      if (typeof js !== 'object' || Array.isArray(js)) throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: expected a mapping`, { kind: 'config' });
      raw = js as Record<string, unknown>;
    }
  }
  const list = (key: string, fallback: string[]): string[] => {
    const v = raw[key];
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: ${key} must be a list of strings`, { kind: 'config' });
    }
    return v as string[];
  };
  const hooks = (raw.agent_hooks ?? {}) as Record<string, unknown>;
  const backup = (raw.backup ?? {}) as Record<string, unknown>;
  const items = backup.daily_items;
  if (items !== undefined && (!Array.isArray(items) || items.some((x) => typeof x !== 'string'))) {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: backup.daily_items must be a list of strings`, { kind: 'config' });
  }
  if (backup.offsite !== undefined && backup.offsite !== null && (typeof backup.offsite !== 'string' || backup.offsite.trim() === '')) {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: backup.offsite must be an rclone remote such as "mycloud:specmap/project"`, { kind: 'config' });
  }
  const redact = (raw.redact ?? {}) as Record<string, unknown>;
  const patterns = redact.patterns ?? [];
  if (!Array.isArray(patterns) || patterns.some((x) => typeof x !== 'string')) {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: redact.patterns must be a list of regular expressions`, { kind: 'config' });
  }
  for (const p of patterns as string[]) {
    try {
      new RegExp(p, 'g');
    } catch (err) {
      throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: redact.patterns: ${(err as Error).message}`, { kind: 'config' });
    }
  }
  const secrets = (raw.secrets ?? {}) as Record<string, unknown>;
  const secretFiles = secrets.files ?? [];
  if (!Array.isArray(secretFiles) || secretFiles.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: secrets.files must be a list of file name patterns`, { kind: 'config' });
  }
  if (secrets.defaults !== undefined && typeof secrets.defaults !== 'boolean') {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: secrets.defaults must be true or false`, { kind: 'config' });
  }
  return {
    redactPatterns: patterns as string[],
    secretFiles: [...(secrets.defaults === false ? [] : DEFAULT_SECRET_FILES), ...(secretFiles as string[])],
    scratch: list('scratch', DEFAULT_SCRATCH),
    checkpointOnStop: hooks.checkpoint_on_stop !== false,
    dailyItems: (items as string[] | undefined) ?? DEFAULT_DAILY_ITEMS,
    offsite: typeof backup.offsite === 'string' ? backup.offsite : undefined,
    raw,
  };
}
