import { now } from '../../shared/clock.js';
import { packageVersion } from '../../shared/package-root.js';
import { AGENT_SESSION_KEY } from '../agent/agent-session.js';
import { runningTurnBaseline } from '../agent/turn-baseline.js';
import type { Project } from '../project/project.js';
import { loadSession, type SessionHandle } from '../session/store.js';
import { commitMessage, headReflog } from '../../storage/git/commits.js';
import { addedLines } from '../../storage/git/diff.js';
import { readBlobs } from '../../storage/git/objects.js';
import { listNotes, readNotes, writeNote } from '../../storage/git/notes.js';
import { carriedOrigins } from './carried.js';
import { chainOrigins, sessionChain } from './chain.js';
import { commitParents, mergedLines } from './merge-commit.js';
import {
  HUMAN, NOTES_REF, buildRecord, copiedRecord, noteText, parseNote, recordFor, specmapMeta,
  type FileAttribution, type LineOrigin, type RecordSource, type TraceRecord,
} from './trace-record.js';

export interface AttributeInput {
  commit: string;
  /** The session the commit is recorded in: its checkpoints say which lines an agent wrote. */
  session?: SessionHandle;
  /** The commit this one was made from (amend, rebase, cherry-pick, merge): the lines it attributed carry over. */
  from?: { commit: string; source: RecordSource };
  /** Replace a record the commit already has (a rewrite settles what a commit's own recording guessed). */
  replace?: boolean;
  /** The commit holds a checkpoint's state (a `specmap merge` squash): an agent turn running now has no part in it. */
  checkpointsOnly?: boolean;
  /** What to record as the record's source when there is no `from` (default 'commit'). */
  source?: RecordSource;
}

export type AttributeOutcome =
  | { written: true; commit: string; record: TraceRecord }
  | { written: false; commit: string; reason: 'already-attributed' | 'nothing-to-attribute' };

/**
 * The commit `commit` was cherry-picked from (HEAD's reflog says it was one), when that one has a record: named by
 * `-x`, or else the noted commit with the same author line and message.
 */
async function cherryPickSource(project: Project, commit: string, notes: Map<string, string>): Promise<string | undefined> {
  const reflog = await headReflog(project.git, 50);
  if (!reflog.some((e) => e.oid === commit && e.subject.startsWith('cherry-pick'))) return undefined;
  const message = await commitMessage(project.git, commit);
  const named = [...message.matchAll(/\(cherry picked from commit ([0-9a-f]{40,64})\)/g)].at(-1)?.[1];
  if (named) return notes.has(named) ? named : undefined;
  // git keeps the author (name, email, date) and the message of a cherry-picked commit: the noted commit with the same.
  const candidates = [...notes.keys()].filter((c) => c !== commit);
  const objects = await readBlobs(project.git, [commit, ...candidates]);
  const identity = (o: Buffer | undefined) => {
    if (!o) return undefined;
    const text = o.toString('utf8');
    const split = text.indexOf('\n\n');
    const author = /^author (.*)$/m.exec(split < 0 ? text : text.slice(0, split))?.[1];
    return author ? `${author}\n${split < 0 ? '' : text.slice(split + 2)}` : undefined;
  };
  const mine = identity(objects[0]);
  if (!mine) return undefined;
  const same = candidates.filter((_, k) => identity(objects[k + 1]) === mine);
  if (same.length <= 1) return same[0];
  // Picked again after a rebase, say: the one attributed last.
  const texts = await readNotes(project.git, NOTES_REF, same, notes);
  const newest = (c: string) => parseNote(texts.get(c) ?? '').map((r) => r.timestamp).sort().at(-1) ?? '';
  return same.sort((a, b) => newest(b).localeCompare(newest(a)))[0];
}

/**
 * Attributes the lines `commit` added (against its first parent) to the agents of `session` or to the person, and
 * writes the Agent Trace record as the commit's note under refs/notes/specmap: lines carried from the commit it
 * was made from (`from`, or the one whose note git copied on a rewrite, or the one it was cherry-picked from) keep
 * their attribution; the others are looked up along the session's checkpoints (chain.ts). A merge commit's lines
 * from a merged branch keep what the records of the commits that wrote them say, marked as merged in
 * (merge-commit.ts); only its lines new in the merge are looked up so. Nothing is written for a commit with neither
 * a session nor a source. Lock held.
 */
export async function attributeCommit(project: Project, input: AttributeInput): Promise<AttributeOutcome> {
  const { commit } = input;
  const notes = await listNotes(project.git, NOTES_REF);
  let from = input.from;
  const own = notes.has(commit) ? parseNote((await readNotes(project.git, NOTES_REF, [commit], notes)).get(commit) ?? '') : [];
  if (!input.replace && recordFor(own, commit)) return { written: false, commit, reason: 'already-attributed' };
  // A note git copied here on a rewrite (notes.rewriteRef) names the commit it came from.
  const copied = copiedRecord(own, commit);
  if (!from && copied?.vcs) from = { commit: copied.vcs.revision, source: 'rebase' };
  if (!from && notes.size > 0) {
    const picked = await cherryPickSource(project, commit, notes);
    if (picked) from = { commit: picked, source: 'cherry-pick' };
  }
  if (!input.session && !from) return { written: false, commit, reason: 'nothing-to-attribute' };

  const files = await addedLines(project.git, commit);
  const merged = (await commitParents(project, commit)).length > 1 ? await mergedLines(project, commit, files, notes) : undefined;
  let fromRecord: TraceRecord | undefined;
  if (from) {
    const texts = from.commit === commit ? new Map() : await readNotes(project.git, NOTES_REF, [from.commit], notes);
    const records = parseNote(texts.get(from.commit) ?? '');
    fromRecord = recordFor(records, from.commit) ?? copiedRecord(records, from.commit) ?? (copied && from.commit === copied.vcs?.revision ? copied : undefined);
  }
  const carried = fromRecord && from ? await carriedOrigins(project, from.commit, fromRecord, commit, files) : new Map<string, Map<number, LineOrigin>>();

  let chained = new Map<string, LineOrigin[]>();
  if (input.session) {
    const doc = loadSession(input.session);
    const chain = await sessionChain(project, input.session, doc);
    const conversation = doc.metadata?.[AGENT_SESSION_KEY];
    const baseline = !input.checkpointsOnly && typeof conversation === 'string' && conversation !== '' ? await runningTurnBaseline(project, conversation) : undefined;
    const running = baseline ? { origin: { kind: 'ai' as const, session: input.session.id, agent: doc.session.agent || 'agent' }, baseline } : undefined;
    chained = await chainOrigins(project, { chain, commit, ...(running ? { running } : {}), paths: files.map((f) => f.path) });
  }

  const attributed: FileAttribution[] = files.map((f) => ({
    path: f.path,
    lines: f.ranges.flatMap(([start, count]) => Array.from({ length: count }, (_, i) => start + i)).flatMap((line) => {
      const m = merged?.get(f.path)?.get(line);
      if (m === null) return [];
      if (m) return [{ line, origin: m.origin, via: m.via }];
      return [{ line, origin: carried.get(f.path)?.get(line) ?? chained.get(f.path)?.[line - 1] ?? HUMAN }];
    }),
  }));
  const session = input.session?.id ?? (fromRecord ? specmapMeta(fromRecord).session : undefined);
  const at = now();
  const record = buildRecord(
    commit,
    attributed,
    { ...(session ? { session } : {}), source: from?.source ?? input.source ?? 'commit', ...(from && from.commit !== commit ? { from: from.commit } : {}) },
    at,
    { name: 'specmap', version: packageVersion() },
  );
  await writeNote(project.git, NOTES_REF, commit, noteText(record), at);
  return { written: true, commit, record };
}
