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
  /** `retention:` — what `specmap gc` keeps (each key optional; see RetentionConfig). */
  retention: RetentionConfig;
  raw: Record<string, unknown>;
}

/**
 * `retention:` in config.yaml, read by `specmap gc` (its flags override each key). Undefined: the key is not set.
 * `null` in the file for a count or a number of days means "no such rule".
 */
export interface RetentionConfig {
  /** `session_zips`: newest ZIPs of archived sessions kept. */
  sessionZips?: number | null;
  /** `session_zip_days`: session ZIPs younger than this many days are kept. */
  sessionZipDays?: number | null;
  /** `daily`: newest daily backups kept (gc prunes daily backups only when this or --keep-daily says so). */
  daily?: number | null;
  /** `milestones`: newest milestones kept (gc prunes milestones only when this or --keep-milestones says so). */
  milestones?: number | null;
  /** `safety_days`: safety snapshots older than this many days are dropped when other refs hold their content. */
  safetyDays?: number | null;
  /** `drop_unique_safety`: drop old safety snapshots even when they hold content nothing else has. */
  dropUniqueSafety?: boolean;
}

const RETENTION_COUNTS = { session_zips: 'sessionZips', session_zip_days: 'sessionZipDays', daily: 'daily', milestones: 'milestones', safety_days: 'safetyDays' } as const;

function parseRetention(value: unknown): RetentionConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: retention must be a mapping`, { kind: 'config' });
  const raw = value as Record<string, unknown>;
  const out: RetentionConfig = {};
  for (const [key, field] of Object.entries(RETENTION_COUNTS)) {
    const v = raw[key];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) {
      throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: retention.${key} must be a whole number, 0 or more (or null for no such rule)`, { kind: 'config' });
    }
    out[field] = v as number | null;
  }
  const unique = raw.drop_unique_safety;
  if (unique !== undefined && typeof unique !== 'boolean') {
    throw new SpecmapError('CORRUPT_DATA', `${CONFIG_FILE}: retention.drop_unique_safety must be true or false`, { kind: 'config' });
  }
  if (unique !== undefined) out.dropUniqueSafety = unique;
  return out;
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
    retention: parseRetention(raw.retention),
    offsite: typeof backup.offsite === 'string' ? backup.offsite : undefined,
    raw,
  };
}
