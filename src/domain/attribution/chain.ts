import { isSpecmapError } from '../../shared/errors.js';
import { sessionRefName } from '../../shared/layout.js';
import { pathBytes } from '../../shared/path-text.js';
import { TURN_TRAILERS } from '../checkpoint/records.js';
import type { Project } from '../project/project.js';
import { forkedFromOf } from '../session/forked-from.js';
import { loadSession, resolveSession, type SessionHandle } from '../session/store.js';
import { locateElsewhere } from '../session/worktrees.js';
import type { SessionDoc } from '../session/session-file.js';
import { commitsBetween, trailer } from '../../storage/git/commits.js';
import { existingObjects } from '../../storage/git/diff.js';
import { blobIdsAt, readBlobs } from '../../storage/git/objects.js';
import { readRef } from '../../storage/git/refs.js';
import { blobLines, carriedLines } from './line-diff.js';
import { HUMAN, type LineOrigin } from './trace-record.js';

/**
 * The versions a file went through in a session — its base, then each checkpoint — and who brought in each line
 * (docs/attribution.md). A checkpoint an agent's hooks took (trailer Agent-Turn) credits the agent with every line
 * that was not there when the turn began (its Turn-Baseline tree; without one, the previous checkpoint); a line
 * that appears any other way — a checkpoint someone asked for, an edit before the turn, an edit after the last
 * checkpoint — is the person's. A line carried over from one version to the next keeps who wrote it, so an agent's
 * line a person later rewrote is theirs.
 */

/** One checkpoint of the chain; `turn` when an agent's hooks took it. */
export interface ChainStep {
  rev: string;
  turn?: { origin: LineOrigin; baseline?: string };
}

export interface SessionChain {
  /** The commit the chain starts from (the session's base, or the base of the session it continues or was forked from). */
  base?: string;
  steps: ChainStep[];
}

/**
 * A session's session.yaml by its id, in this worktree or another one (a fork's parent lives where it was started,
 * a fork's fork in its parent's worktree); undefined when it is nowhere, or unreadable.
 */
async function sessionDocById(project: Project, id: string): Promise<SessionDoc | undefined> {
  try {
    return loadSession(resolveSession(project, id));
  } catch (err) {
    if (!isSpecmapError(err) || err.code !== 'SESSION_NOT_FOUND') return undefined;
    try {
      return loadSession((await locateElsewhere(project, id, err)).handle);
    } catch {
      return undefined;
    }
  }
}

/**
 * The base a session's history starts from: its own, or the base of the session it grew from — the ended one it
 * continues, or the one it was forked from (`forked_from`), and so on up. Both start on that session's last
 * commit: a continuing session from its tip, a fork from a commit whose parent is the checkpoint it was forked
 * at. So the range from that base to the session's tip holds the earlier session's checkpoints (up to the fork
 * point, none made after) and then its own, and each line keeps the session and agent that wrote it.
 */
async function rootBase(project: Project, doc: SessionDoc): Promise<string | undefined> {
  let base = doc.git?.base_commit;
  let current = doc;
  for (let i = 0; i < 20; i++) {
    const continues = current.metadata?.continues;
    const from = forkedFromOf(current)?.session ?? (typeof continues === 'string' && continues !== '' ? continues : undefined);
    if (!from) break;
    const next = await sessionDocById(project, from);
    if (!next) break;
    current = next;
    base = current.git?.base_commit ?? base;
  }
  return typeof base === 'string' && base !== '' ? base : undefined;
}

/** The session's checkpoints, oldest first, each marked as an agent's turn or not (one `git log`). */
export async function sessionChain(project: Project, h: SessionHandle, doc: SessionDoc): Promise<SessionChain> {
  const tip = await readRef(project.git, sessionRefName(h.id));
  const base = await rootBase(project, doc);
  if (!tip || tip === base) return { ...(base ? { base } : {}), steps: [] };
  const commits = await commitsBetween(project.git, base, tip);
  const steps = commits.map((c): ChainStep => {
    const agent = trailer(c.message, TURN_TRAILERS.agent);
    if (!agent) return { rev: c.oid };
    const session = trailer(c.message, 'Session-Id') ?? h.id;
    const checkpoint = trailer(c.message, 'Checkpoint-Id');
    const baseline = trailer(c.message, TURN_TRAILERS.baseline);
    return {
      rev: c.oid,
      turn: { origin: { kind: 'ai', session, agent, ...(checkpoint ? { checkpoint } : {}) }, ...(baseline && /^[0-9a-f]{40,64}$/.test(baseline) ? { baseline } : {}) },
    };
  });
  return { ...(base ? { base } : {}), steps };
}

export interface ChainInput {
  chain: SessionChain;
  /** The commit whose lines are attributed. */
  commit: string;
  /** An agent's turn still running when the commit was made: what changed since its baseline is its work. */
  running?: { origin: LineOrigin; baseline: string };
  paths: string[];
}

/** A blob spec (`<rev>:<path>`) as bytes; undefined for a name cat-file's line protocol cannot carry. */
function spec(rev: string, path: string): Buffer | undefined {
  const bytes = pathBytes(path);
  if (bytes.includes(0x0a)) return undefined;
  return Buffer.concat([Buffer.from(`${rev}:`), bytes]);
}

/**
 * Reads the blob ids of `revs` × `paths` (one `cat-file --batch-check`) and then every distinct blob (one `cat-file
 * --batch`); `lines(rev, path)` gives the file's lines there ([] where it does not exist), `blob` its id.
 */
export async function readVersions(project: Project, revs: string[], paths: string[]): Promise<{ blob: (rev: string, path: string) => string | undefined; lines: (rev: string, path: string) => string[] }> {
  const keys: string[] = [];
  const specs: Buffer[] = [];
  const uniqueRevs = [...new Set(revs)];
  for (const path of paths) {
    for (const rev of uniqueRevs) {
      const s = spec(rev, path);
      if (!s) continue;
      keys.push(`${rev}\0${path}`);
      specs.push(s);
    }
  }
  const ids = await blobIdsAt(project.git, specs);
  const blobOf = new Map<string, string>();
  keys.forEach((k, i) => {
    if (ids[i]) blobOf.set(k, ids[i]!);
  });
  const unique = [...new Set(blobOf.values())];
  const data = await readBlobs(project.git, unique);
  const text = new Map<string, string[]>();
  unique.forEach((oid, i) => text.set(oid, blobLines(data[i])));
  return {
    blob: (rev, path) => blobOf.get(`${rev}\0${path}`),
    lines: (rev, path) => {
      const b = blobOf.get(`${rev}\0${path}`);
      return b ? text.get(b) ?? [] : [];
    },
  };
}

/**
 * Who wrote each line of each of `paths` as `commit` has it, walked along the session's chain (see the module
 * comment): path → one origin per line of the commit's version. Four git processes whatever the number of
 * checkpoints and files: the baselines' existence, the blob ids, the blobs (and the chain's log, read before).
 */
export async function chainOrigins(project: Project, input: ChainInput): Promise<Map<string, LineOrigin[]>> {
  const { chain, commit, running } = input;
  const baselines = [...chain.steps.flatMap((s) => (s.turn?.baseline ? [s.turn.baseline] : [])), ...(running ? [running.baseline] : [])];
  const present = await existingObjects(project.git, baselines);
  const revs = [
    ...(chain.base ? [chain.base] : []),
    ...chain.steps.flatMap((s) => [s.rev, ...(s.turn?.baseline && present.has(s.turn.baseline) ? [s.turn.baseline] : [])]),
    ...(running && present.has(running.baseline) ? [running.baseline] : []),
    commit,
  ];
  const v = await readVersions(project, revs, input.paths);
  const out = new Map<string, LineOrigin[]>();
  for (const path of input.paths) {
    let prevRev = chain.base;
    let prevLines = prevRev ? v.lines(prevRev, path) : [];
    let origins: LineOrigin[] = prevLines.map(() => HUMAN);
    const blobAt = (rev: string | undefined) => (rev ? v.blob(rev, path) : undefined);
    // One version to the next: lines carried over keep who wrote them; the others are `origin`'s.
    const move = (rev: string, origin: LineOrigin) => {
      const nextLines = v.lines(rev, path);
      const carried = carriedLines(prevLines, nextLines);
      origins = nextLines.map((_, j) => (carried[j]! >= 0 ? origins[carried[j]!]! : origin));
      prevRev = rev;
      prevLines = nextLines;
    };
    const advance = (rev: string, turn?: { origin: LineOrigin; baseline?: string }) => {
      const after = blobAt(rev);
      if (!turn) {
        if (after !== blobAt(prevRev)) move(rev, HUMAN);
        else prevRev = rev;
        return;
      }
      const baseline = turn.baseline && present.has(turn.baseline) ? turn.baseline : undefined;
      if (baseline) {
        // The turn did not touch the file: what changed (only a commit can differ here) is someone else's.
        if (after === blobAt(baseline)) {
          if (after !== blobAt(prevRev)) move(rev, HUMAN);
          else prevRev = rev;
          return;
        }
        // What changed before the turn began was someone else's; then the turn's own changes.
        if (blobAt(baseline) !== blobAt(prevRev)) move(baseline, HUMAN);
      }
      if (after !== blobAt(prevRev)) move(rev, turn.origin);
      else prevRev = rev;
    };
    for (const step of chain.steps) advance(step.rev, step.turn);
    advance(commit, running ? { origin: running.origin, baseline: running.baseline } : undefined);
    out.set(path, origins);
  }
  return out;
}
