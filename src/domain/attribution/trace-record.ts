import { nodeCrypto } from '../../shared/node-crypto.js';

/**
 * A commit's line attribution as an Agent Trace record (Cursor's open spec, v0.1: https://github.com/cursor/agent-trace;
 * field names exactly as its JSON Schema, schemas/trace-record.json; see docs/attribution.md). specmap's own
 * identifiers ride in fields the spec has: a conversation's `url` names the specmap session, its `related` entries
 * the checkpoint and the agent, and `metadata["dev.specmap"]` (reverse-domain, as the spec asks) the rest.
 *
 * A note holds one record per line (JSON Lines, as the spec's reference implementation stores traces), so notes that
 * git concatenates (notes.rewriteMode) or merges line by line (cat_sort_uniq) still parse: the record that counts is
 * the newest whose `vcs.revision` is the annotated commit.
 */

/** The spec version written; its schema requires major.minor (`^[0-9]+\.[0-9]+$`). */
export const TRACE_VERSION = '0.1';
/** The notes ref that holds the records. */
export const NOTES_REF = 'refs/notes/specmap';
const VENDOR = 'dev.specmap';

export type ContributorType = 'human' | 'ai' | 'mixed' | 'unknown';

export interface TraceRange { start_line: number; end_line: number; content_hash?: string; contributor?: { type: ContributorType; model_id?: string } }
export interface TraceConversation {
  url?: string;
  contributor?: { type: ContributorType; model_id?: string };
  ranges: TraceRange[];
  related?: { type: string; url: string }[];
}
export interface TraceFile { path: string; conversations: TraceConversation[] }
export interface TraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs?: { type: 'git' | 'jj' | 'hg' | 'svn'; revision: string };
  tool?: { name: string; version: string };
  files: TraceFile[];
  metadata?: Record<string, unknown>;
}

/** Who wrote one line: an agent in a session's turn (ending in `checkpoint`; none while the turn runs), or a person. */
export type LineOrigin =
  | { kind: 'ai'; session: string; agent: string; checkpoint?: string }
  | { kind: 'human' };

export const HUMAN: LineOrigin = Object.freeze({ kind: 'human' });

/** How the record came to be: a commit recorded in a session, or carried from the commit it was rewritten from. */
export type RecordSource = 'commit' | 'amend' | 'rebase' | 'cherry-pick' | 'merge';

/** specmap's part of a record (metadata["dev.specmap"]). */
export interface SpecmapMeta {
  /** The session the commit was recorded in (none: a rewrite made with no session active). */
  session?: string;
  source: RecordSource;
  /** The commit a rewritten one was carried from. */
  from?: string;
  /** Lines the commit wrote itself: agents', the person's. */
  ai_lines: number;
  human_lines: number;
  /** A merge commit: the lines it brought in from a merged branch (counted in the commits that wrote them). */
  merged_lines?: number;
}

const seg = (s: string) => encodeURIComponent(s);
export const sessionUrl = (session: string) => `specmap:session/${seg(session)}`;
const checkpointUrl = (session: string, checkpoint: string) => `${sessionUrl(session)}/checkpoint/${seg(checkpoint)}`;
const agentUrl = (agent: string) => `specmap:agent/${seg(agent)}`;
/** The `related` type of a merge's conversation whose lines came in from a merged branch; its url names the commit that wrote them. */
export const MERGED_FROM = 'merged-from';
const commitUrl = (commit: string) => `specmap:commit/${commit}`;

const originKey = (o: LineOrigin) => (o.kind === 'human' ? 'human' : `ai\0${o.session}\0${o.agent}\0${o.checkpoint ?? ''}`);

/** Consecutive line numbers (sorted) as ranges. */
function toRanges(lines: number[]): TraceRange[] {
  const out: TraceRange[] = [];
  for (const n of lines) {
    const last = out[out.length - 1];
    if (last && last.end_line === n - 1) last.end_line = n;
    else out.push({ start_line: n, end_line: n });
  }
  return out;
}

function conversationOf(o: LineOrigin, ranges: TraceRange[], via?: string): TraceConversation {
  const merged = via ? [{ type: MERGED_FROM, url: commitUrl(via) }] : [];
  if (o.kind === 'human') return { contributor: { type: 'human' }, ranges, ...(via ? { related: merged } : {}) };
  const related = [
    ...(o.checkpoint ? [{ type: 'checkpoint', url: checkpointUrl(o.session, o.checkpoint) }] : []),
    { type: 'agent', url: agentUrl(o.agent) },
    ...merged,
  ];
  return { url: sessionUrl(o.session), contributor: { type: 'ai' }, ranges, related };
}

export interface FileAttribution {
  path: string;
  /**
   * Each line the commit added, by its number in the commit's version, and who wrote it; `via`: a merge brought the
   * line in from a merged branch, and this commit (the one `git blame` names) wrote it.
   */
  lines: { line: number; origin: LineOrigin; via?: string }[];
}

/**
 * The record for `commit`: per file, one conversation per (session, checkpoint, agent), and one for the person's
 * lines; a merge's lines from a merged branch in conversations of their own, per commit that wrote them.
 */
export function buildRecord(
  commit: string,
  files: FileAttribution[],
  meta: Omit<SpecmapMeta, 'ai_lines' | 'human_lines'>,
  at: Date,
  tool: { name: string; version: string },
): TraceRecord {
  let ai = 0;
  let human = 0;
  let merged = 0;
  const out: TraceFile[] = [];
  for (const f of files) {
    const groups = new Map<string, { origin: LineOrigin; via?: string; lines: number[] }>();
    for (const { line, origin, via } of [...f.lines].sort((a, b) => a.line - b.line)) {
      const key = `${originKey(origin)}\0${via ?? ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { origin, ...(via ? { via } : {}), lines: [] }));
      g.lines.push(line);
      if (via) merged++;
      else if (origin.kind === 'ai') ai++;
      else human++;
    }
    if (groups.size === 0) continue;
    // Agents' conversations first (in order of their first line), the person's lines last.
    const ordered = [...groups.values()].sort((a, b) => Number(a.origin.kind === 'human') - Number(b.origin.kind === 'human') || a.lines[0]! - b.lines[0]!);
    out.push({ path: f.path, conversations: ordered.map((g) => conversationOf(g.origin, toRanges(g.lines), g.via)) });
  }
  const vendor: SpecmapMeta = { ...meta, ai_lines: ai, human_lines: human, ...(merged > 0 ? { merged_lines: merged } : {}) };
  return {
    version: TRACE_VERSION,
    id: nodeCrypto().randomUUID(),
    timestamp: at.toISOString(),
    vcs: { type: 'git', revision: commit },
    tool,
    files: out,
    metadata: { [VENDOR]: vendor },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `v` has the spec's required shape (version, id, timestamp, files of path + conversations of ranges). */
function isTraceRecord(v: unknown): v is TraceRecord {
  if (!isObject(v) || typeof v.version !== 'string' || typeof v.id !== 'string' || typeof v.timestamp !== 'string' || !Array.isArray(v.files)) return false;
  return v.files.every((f) => isObject(f) && typeof f.path === 'string' && Array.isArray(f.conversations)
    && f.conversations.every((c) => isObject(c) && Array.isArray(c.ranges)
      && c.ranges.every((r) => isObject(r) && Number.isInteger(r.start_line) && Number.isInteger(r.end_line))));
}

/** The records in a note's text: one JSON object per line; lines that are not a record are skipped. */
export function parseNote(text: string): TraceRecord[] {
  const out: TraceRecord[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v = JSON.parse(t) as unknown;
      if (isTraceRecord(v)) out.push(v);
    } catch {
      // Not a record (someone else's text in the note): skipped.
    }
  }
  return out;
}

/** The note text for a record: one line. */
export function noteText(record: TraceRecord): string {
  return `${JSON.stringify(record)}\n`;
}

const newestFirst = (a: TraceRecord, b: TraceRecord) => b.timestamp.localeCompare(a.timestamp);

/** The record that describes `commit` itself: the newest whose revision is it. */
export function recordFor(records: TraceRecord[], commit: string): TraceRecord | undefined {
  return records.filter((r) => r.vcs?.revision === commit).sort(newestFirst)[0];
}

/** A record git copied onto `commit` from the commit it rewrote (notes.rewriteRef): the newest naming another revision. */
export function copiedRecord(records: TraceRecord[], commit: string): TraceRecord | undefined {
  return records.filter((r) => r.vcs?.revision && r.vcs.revision !== commit).sort(newestFirst)[0];
}

export function specmapMeta(record: TraceRecord): Partial<SpecmapMeta> {
  const m = record.metadata?.[VENDOR];
  return isObject(m) ? (m as Partial<SpecmapMeta>) : {};
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The origin a conversation (and a range's override) stands for, read back from the fields buildRecord writes. */
function originOf(c: TraceConversation, r: TraceRange): LineOrigin | undefined {
  const type = r.contributor?.type ?? c.contributor?.type;
  if (type === 'human') return HUMAN;
  if (type !== 'ai' && type !== 'mixed') return undefined;
  const session = /^specmap:session\/([^/]+)$/.exec(c.url ?? '')?.[1];
  let agent: string | undefined;
  let checkpoint: string | undefined;
  for (const rel of c.related ?? []) {
    if (rel.type === 'agent') agent = /^specmap:agent\/(.+)$/.exec(rel.url)?.[1];
    if (rel.type === 'checkpoint') checkpoint = /\/checkpoint\/([^/]+)$/.exec(rel.url)?.[1];
  }
  // A record some other tool wrote: an AI line of no specmap session.
  const model = r.contributor?.model_id ?? c.contributor?.model_id;
  return {
    kind: 'ai',
    session: session ? decode(session) : '',
    agent: agent ? decode(agent) : model ?? 'ai',
    ...(checkpoint ? { checkpoint: decode(checkpoint) } : {}),
  };
}

/** Past this many lines a range is not one specmap wrote (and is not expanded line by line). */
const MAX_RANGE = 1_000_000;

/** The commit a merge's conversation says its lines came in from (a merged branch's), if it says so. */
function mergedFrom(c: TraceConversation): string | undefined {
  const url = c.related?.find((rel) => rel.type === MERGED_FROM)?.url;
  return url ? /^specmap:commit\/([0-9a-f]{40,64})$/.exec(url)?.[1] ?? url : undefined;
}

/**
 * Every range of `record` with who wrote it (a range of no contributor specmap knows is skipped), and `via` for a
 * merge's lines from a merged branch: the commit that wrote them.
 */
export function* attributedRanges(record: TraceRecord): Generator<{ path: string; start: number; end: number; origin: LineOrigin; via?: string }> {
  for (const f of record.files) {
    for (const c of f.conversations) {
      const via = mergedFrom(c);
      for (const r of c.ranges) {
        const o = originOf(c, r);
        if (!o || r.end_line < r.start_line || r.end_line - r.start_line > MAX_RANGE) continue;
        yield { path: f.path, start: r.start_line, end: r.end_line, origin: o, ...(via ? { via } : {}) };
      }
    }
  }
}

/** Who wrote each attributed line of `path` in `record`: line number → origin (lines it does not cover are absent). */
export function fileOrigins(record: TraceRecord, path: string): Map<number, LineOrigin> {
  const out = new Map<number, LineOrigin>();
  for (const r of attributedRanges(record)) {
    if (r.path !== path) continue;
    for (let n = r.start; n <= r.end; n++) out.set(n, r.origin);
  }
  return out;
}
