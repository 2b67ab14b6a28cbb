import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseYaml, readYamlText } from '../../storage/yaml/parse.js';
import { emitYaml } from '../../storage/yaml/emit.js';
import { SpecmapError } from '../../shared/errors.js';
import { now, parseLocal } from '../../shared/clock.js';
import { writeFileAtomic } from '../../storage/fs/atomic-write.js';
import { inScratchObjects } from '../../storage/git/scratch-objects.js';

/**
 * session.yaml, exactly the spec's structure and field names; what we add lives in extra keys (`git`,
 * `metadata`, `end_date`, `commit` on a checkpoint) so files written by the spec's own tools still parse and
 * fields we do not know survive a round trip.
 */
export interface CheckpointEntry {
  id: string;
  time: string;
  description: string;
  files_snapshot: string[];
  /** Added by specmap: the checkpoint's commit. Missing on sessions written by the Python tool. */
  commit?: string;
  [key: string]: unknown;
}

export interface SessionInfo {
  id: string;
  date: string;
  start_time: string;
  end_time: string | null;
  focus: string;
  agent: string;
  status: string;
  [key: string]: unknown;
}

export interface SessionDoc {
  session: SessionInfo;
  artifacts: { created: string[]; modified: string[]; [key: string]: unknown };
  checkpoints: CheckpointEntry[];
  metrics: {
    duration_minutes?: number;
    files_created?: number;
    files_modified?: number;
    checkpoints?: number;
    [key: string]: unknown;
  };
  rulemap_score: number | null;
  metadata?: Record<string, unknown>;
  git?: { ref: string; base_commit: string; [key: string]: unknown };
  [key: string]: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function stringList(v: unknown, where: string, file: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw shapeError(file, `${where} must be a list`);
  return v.map((item, i) => {
    const s = scalarString(item);
    if (s === undefined) throw shapeError(file, `${where}[${i}] must be a string`);
    return s;
  });
}

function shapeError(file: string, what: string): SpecmapError {
  return new SpecmapError('CORRUPT_DATA', `${file}: ${what}`);
}

/**
 * Parses and validates session.yaml text; `file` names it in errors (with the line for YAML syntax errors). Too
 * large a text or an alias bomb is CORRUPT_DATA like any broken file (see parseYaml).
 */
export function parseSessionYaml(text: string, file: string): SessionDoc {
  const { value, isMap } = parseYaml(text, file);
  if (!isMap) throw shapeError(file, 'not a session file (expected a mapping with a "session" key)');
  return normalise(value as Record<string, unknown>, file);
}

/** A checkpoint entry normalise would give back unchanged: id, time and description strings, and a list of strings. */
function wellFormedEntry(entry: unknown): entry is CheckpointEntry {
  if (!isRecord(entry)) return false;
  const { id, time, description, files_snapshot: files } = entry;
  if (typeof id !== 'string' || id === '' || typeof time !== 'string' || typeof description !== 'string' || !Array.isArray(files)) return false;
  for (const f of files) if (typeof f !== 'string') return false;
  return true;
}

function normalise(raw: Record<string, unknown>, file: string): SessionDoc {
  const s = raw.session;
  if (!isRecord(s)) throw shapeError(file, 'missing "session:" section');
  const session: SessionInfo = { ...s } as SessionInfo;
  for (const key of ['id', 'date', 'start_time', 'focus', 'agent', 'status'] as const) {
    const v = scalarString(s[key]);
    if (v === undefined) {
      if (key === 'focus' || key === 'agent') session[key] = '';
      else throw shapeError(file, `session.${key} is missing or not a string`);
    } else session[key] = v;
  }
  session.end_time = s.end_time === null || s.end_time === undefined ? null : (scalarString(s.end_time) ?? null);

  const a = raw.artifacts === undefined || raw.artifacts === null ? {} : raw.artifacts;
  if (!isRecord(a)) throw shapeError(file, '"artifacts:" must be a mapping');
  const artifacts = { ...a, created: stringList(a.created, 'artifacts.created', file), modified: stringList(a.modified, 'artifacts.modified', file) };

  const c = raw.checkpoints ?? [];
  if (!Array.isArray(c)) throw shapeError(file, '"checkpoints:" must be a list');
  const checkpoints = c.map((entry, i): CheckpointEntry => {
    // Already in shape (every entry specmap wrote): kept as it is, not rebuilt (1,000 of them on every checkpoint).
    if (wellFormedEntry(entry)) return entry;
    if (!isRecord(entry)) throw shapeError(file, `checkpoints[${i}] must be a mapping`);
    const id = scalarString(entry.id);
    if (!id) throw shapeError(file, `checkpoints[${i}].id is missing`);
    return {
      ...entry,
      id,
      time: scalarString(entry.time) ?? '',
      description: scalarString(entry.description) ?? '',
      files_snapshot: stringList(entry.files_snapshot, `checkpoints[${i}].files_snapshot`, file),
    };
  });

  const m = raw.metrics ?? {};
  if (!isRecord(m)) throw shapeError(file, '"metrics:" must be a mapping');
  const score = raw.rulemap_score;
  if (score !== undefined && score !== null && typeof score !== 'number') {
    throw shapeError(file, 'rulemap_score must be a number');
  }
  return { ...raw, session, artifacts, checkpoints, metrics: { ...m }, rulemap_score: (score as number | undefined) ?? null };
}

/**
 * Renders session.yaml in the spec's style: plain keys, double-quoted strings, indented lists. Every session.yaml
 * specmap writes passes through here, so this is where `metrics` is brought up to date (in `doc` too, for the
 * caller that reports them): it is derived from the rest of the file and never goes stale.
 */
export function renderSessionYaml(doc: SessionDoc): string {
  doc.metrics = currentMetrics(doc);
  return emitYaml(doc);
}

/**
 * The spec's metrics of `doc` as it stands: minutes from the start to the end (to now while the session is
 * active), the tracked artifacts and the checkpoints. Keys other tools added are kept after the spec's four.
 */
export function currentMetrics(doc: SessionDoc): SessionDoc['metrics'] {
  const s = doc.session;
  const started = parseLocal(s.date, s.start_time);
  const endDate = typeof s.end_date === 'string' ? s.end_date : s.date;
  const ended = s.end_time ? parseLocal(endDate, s.end_time) : now();
  let ms = started && ended ? ended.getTime() - started.getTime() : 0;
  // The Python SpecMap wrote no end_date: an end before the start on the same date is the next day's.
  if (ms < 0 && s.end_time && endDate === s.date) ms += 24 * 60 * 60_000;
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return {
    duration_minutes: minutes,
    files_created: doc.artifacts.created.length,
    files_modified: doc.artifacts.modified.length,
    checkpoints: doc.checkpoints.length,
    ...Object.fromEntries(Object.entries(doc.metrics).filter(([k]) => !SPEC_METRICS.has(k))),
  };
}

const SPEC_METRICS = new Set(['duration_minutes', 'files_created', 'files_modified', 'checkpoints']);

/**
 * Parsing YAML is slow (a session of 1,000 checkpoints took 150 ms to read, and loading the parser alone costs
 * 20 ms), so each session.yaml has a parsed copy as JSON beside the git dir, holding the exact text it came from
 * (compared whole: cheaper than hashing it, which would load node:crypto on every start): an edit by hand, another
 * tool or an older specmap changes the text, misses the cache and is parsed as usual. The cache is never the
 * source of truth, and any trouble with it means "parse the YAML". Layout: `specmap-parsed-v2 <text length>\n`,
 * the text, then the JSON.
 */
const CACHE_HEADER = 'specmap-parsed-v2 ';

function readParsedCache(cachePath: string, text: string): SessionDoc | undefined {
  try {
    const cached = readFileSync(cachePath, 'utf8');
    const head = `${CACHE_HEADER}${text.length}\n`;
    if (!cached.startsWith(head) || cached.slice(head.length, head.length + text.length) !== text) return undefined;
    return JSON.parse(cached.slice(head.length + text.length)) as SessionDoc;
  } catch {
    return undefined;
  }
}

function writeParsedCache(cachePath: string, text: string, doc: SessionDoc): void {
  // A dry run (withScratchObjects) writes nothing, not even a cache.
  if (inScratchObjects()) return;
  try {
    mkdirSync(dirname(cachePath), { recursive: true });
    writeFileAtomic(cachePath, `${CACHE_HEADER}${text.length}\n${text}${JSON.stringify(doc)}`, { durable: false });
  } catch {
    // Only a cache.
  }
}

/** True when JSON keeps every value of `v` (no NaN or Infinity), so a JSON copy reads back as the YAML would. */
function jsonSafe(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v === 'object' && v !== null) return Object.values(v).every(jsonSafe);
  return true;
}

/** Reads and validates a session.yaml; a large one comes from its parsed copy at `cachePath` while its bytes are unchanged. */
export function readSessionFile(path: string, displayName: string, cachePath?: string): SessionDoc {
  const text = readYamlText(path, displayName);
  if (cachePath === undefined) return parseSessionYaml(text, displayName);
  const cached = readParsedCache(cachePath, text);
  if (cached) return cached;
  const doc = parseSessionYaml(text, displayName);
  if (jsonSafe(doc)) writeParsedCache(cachePath, text, doc);
  return doc;
}

/** Writes a session.yaml atomically (metrics recomputed on render) and refreshes its parsed copy. */
export function writeSessionFile(path: string, doc: SessionDoc, cachePath?: string): void {
  const text = renderSessionYaml(doc);
  writeFileAtomic(path, text);
  if (cachePath !== undefined) cacheWrittenSession(cachePath, text, doc, path);
}

/**
 * Caches what was just written as `text` (session.yaml rendered from `doc`), so the next command reads it without
 * the YAML parser: the copy is `doc` as JSON reads it back, normalised as a parse would be.
 */
export function cacheWrittenSession(cachePath: string, text: string, doc: SessionDoc, displayName: string): void {
  if (!jsonSafe(doc)) return;
  let parsed: SessionDoc;
  try {
    parsed = normalise(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>, displayName);
  } catch {
    return;
  }
  writeParsedCache(cachePath, text, parsed);
}
