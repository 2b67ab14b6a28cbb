import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { sha256Hex } from '../../shared/node-crypto.js';
import { homedir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { settings } from '../../shared/settings.js';
import { SpecmapError } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { sessionRelDir } from '../../shared/layout.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { compileRules, redactJsonl } from './redact.js';
import { commitMessage, commitsBetween, trailer } from '../../storage/git/commits.js';
import { commitTree, readBlobs, writeBlob, writeFlatTree } from '../../storage/git/objects.js';
import { readRef, updateRef } from '../../storage/git/refs.js';
import { showFile } from '../../storage/git/remote.js';

/**
 * A session's agent transcript lives outside the project tree — so the agent's own searches never find it and a
 * growing transcript never makes a checkpoint — on `refs/specmap/transcripts/<session>`: one commit per turn whose
 * tree holds that turn's new lines, redacted, as turn.jsonl, and whose trailers say which checkpoint the turn took
 * (none for a turn that changed nothing) and how far into the agent's file it has read. The session ZIP carries
 * the whole transcript as transcripts/transcript.jsonl.
 */
export const transcriptRefName = (session: string) => `refs/specmap/transcripts/${session}`;
const TURN_FILE = 'turn.jsonl';
/** Where the whole transcript is in a session ZIP (and where sessions stored it in the workspace before). */
export const TRANSCRIPT_FILE = 'transcripts/transcript.jsonl';
/** The most one turn may add; a larger addition is stored up to its last whole line within this. */
const MAX_TURN_BYTES = 64 * 1024 * 1024;

export interface TranscriptTurn {
  /** The turn's new lines, redacted; every line parses. */
  text: string;
  /** How far into the agent's transcript file this turn has read. */
  readTo: number;
  /** Which file (a hash of its path): a different file starts from its beginning. */
  source: string;
  /** The user's prompts among the new lines. */
  prompts: string[];
}

/**
 * The folders agents keep their transcripts in (docs/agents.md): Claude Code `~/.claude/projects/` (or
 * `$CLAUDE_CONFIG_DIR/projects/`), Codex `~/.codex/sessions/` (or `$CODEX_HOME/sessions/`), Gemini CLI
 * `~/.gemini/tmp/`, Cursor `~/.cursor/projects/`, Copilot CLI `~/.copilot/session-state/`. A `transcript_path`
 * comes from a hook payload, which anything that can run the hook writes: only a file inside one of these is read.
 */
export function transcriptRoots(): string[] {
  const home = homedir();
  const s = settings();
  return [
    join(s.claudeConfigDir ?? join(home, '.claude'), 'projects'),
    ...(s.claudeConfigDir ? [join(home, '.claude', 'projects')] : []),
    join(s.codexHome ?? join(home, '.codex'), 'sessions'),
    ...(s.codexHome ? [join(home, '.codex', 'sessions')] : []),
    join(home, '.gemini', 'tmp'),
    join(home, '.cursor', 'projects'),
    join(home, '.copilot', 'session-state'),
  ];
}

/**
 * `path` with every link resolved when it is a file inside one of transcriptRoots() (resolved too, so a link out of
 * a root is outside it); undefined when there is no such file; otherwise an INVALID_INPUT error (details.kind 'transcript-refused') saying why it was
 * not read.
 */
export function confinedTranscript(path: string): string | undefined {
  const refuse = (why: string) => new SpecmapError('INVALID_INPUT', `transcript ${path} not read: ${why}`, { kind: 'transcript-refused' });
  if (!isAbsolute(path)) throw refuse('not an absolute path');
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    // Nothing there (yet): nothing to read, as for an unreadable file.
    return undefined;
  }
  const inside = transcriptRoots().some((root) => {
    let r: string;
    try {
      r = realpathSync(root);
    } catch {
      return false;
    }
    return real.startsWith(r.endsWith(sep) ? r : r + sep);
  });
  if (!inside) throw refuse("outside the agents' transcript folders (~/.claude/projects, ~/.codex/sessions, ~/.gemini/tmp, ~/.cursor/projects, ~/.copilot/session-state)");
  return real;
}

/**
 * What the agent's transcript gained since the session last stored it, redacted (config.yaml's redact patterns
 * too); undefined when the file is unreadable or holds no new whole line. Lock held.
 */
export async function newTranscriptLines(project: Project, session: string, transcriptPath: string): Promise<TranscriptTurn | undefined> {
  // Refused (outside the agents' folders, or a link out of them) before anything is read: the caller notes it.
  const real = confinedTranscript(transcriptPath);
  if (real === undefined) return undefined;
  const source = sha256Hex(transcriptPath).slice(0, 16);
  const tip = await readRef(project.git, transcriptRefName(session));
  const message = tip ? await commitMessage(project.git, tip) : '';
  let from = trailer(message, 'Transcript-Source') === source ? Number(trailer(message, 'Transcript-Read') ?? 0) : 0;
  let fd: number;
  try {
    // O_NOFOLLOW: a link put in place of the checked file after the check is not followed.
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    // A file shorter than what was read was rewritten: read it again from the start.
    if (!Number.isFinite(from) || from > st.size) from = 0;
    const length = Math.min(st.size - from, MAX_TURN_BYTES);
    if (length <= 0) return undefined;
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    // Only whole lines: a line being written as the hook runs is taken next time.
    const end = buf.subarray(0, got).lastIndexOf(0x0a) + 1;
    if (end === 0) return undefined;
    const rules = compileRules(projectConfig(project).redactPatterns);
    const text = redactJsonl(buf.subarray(0, end).toString('utf8'), rules);
    return { text, readTo: from + end, source, prompts: userPrompts(text) };
  } finally {
    closeSync(fd);
  }
}

/** Stores a turn's lines on the session's transcript chain, linked to the checkpoint the turn took, if any. Lock held. */
export async function storeTranscriptTurn(project: Project, session: string, turn: TranscriptTurn, checkpoint?: string): Promise<void> {
  const ref = transcriptRefName(session);
  const tip = await readRef(project.git, ref);
  const tree = await writeFlatTree(project.git, { [TURN_FILE]: await writeBlob(project.git, turn.text) });
  const message = `specmap transcript: ${session}${checkpoint ? ` ${checkpoint}` : ''}\n\nSession-Id: ${session}\n`
    + `${checkpoint ? `Checkpoint: ${checkpoint}\n` : ''}Transcript-Source: ${turn.source}\nTranscript-Read: ${turn.readTo}\n`;
  const commit = await commitTree(project.git, { tree, parents: tip ? [tip] : [], message, date: now() });
  await updateRef(project.git, ref, commit, tip, 'specmap: transcript turn');
}

interface StoredTurn { checkpoint?: string; text: string }

async function storedTurns(project: Project, session: string): Promise<StoredTurn[]> {
  const tip = await readRef(project.git, transcriptRefName(session));
  if (!tip) return [];
  const commits = await commitsBetween(project.git, undefined, tip);
  const blobs = await readBlobs(project.git, commits.map((c) => `${c.oid}:${TURN_FILE}`));
  return commits.map((c, i) => ({ checkpoint: trailer(c.message, 'Checkpoint'), text: blobs[i]?.toString('utf8') ?? '' }));
}

/** The whole stored transcript of a session, every turn in order; undefined when none was stored. */
export async function sessionTranscript(project: Project, session: string): Promise<string | undefined> {
  const turns = await storedTurns(project, session);
  return turns.length > 0 ? turns.map((t) => t.text).join('') : undefined;
}

/** The user's prompts in a Claude Code JSONL transcript (tool results and meta entries left out). */
export function userPrompts(jsonl: string): string[] {
  const prompts: string[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    let entry: { type?: string; isMeta?: boolean; message?: { role?: string; content?: unknown } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.type !== 'user' || entry.isMeta || entry.message?.role !== 'user') continue;
    const c = entry.message.content;
    const text = typeof c === 'string'
      ? c
      : Array.isArray(c) ? c.filter((b) => b && b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n') : '';
    if (text.trim()) prompts.push(text.trim());
  }
  return prompts;
}

/**
 * The prompts that led to a checkpoint: those of the turns since the previous checkpoint's turn, through the one
 * that took it. Sessions recorded before transcripts moved out of the tree kept the whole transcript in each
 * checkpoint; for them, the prompts its copy has beyond the previous checkpoint's.
 */
export async function promptsForCheckpoint(project: Project, sessionId: string, checkpoint: string, commit: string, previous?: string): Promise<string[]> {
  const turns = await storedTurns(project, sessionId);
  const at = turns.findIndex((t) => t.checkpoint === checkpoint);
  if (at >= 0) {
    let first = at;
    while (first > 0 && turns[first - 1]!.checkpoint === undefined) first--;
    return userPrompts(turns.slice(first, at + 1).map((t) => t.text).join(''));
  }
  const inTree = (rev: string) => showFile(project.git, rev, `${sessionRelDir('active', sessionId)}/${TRANSCRIPT_FILE}`);
  const nowText = await inTree(commit);
  if (nowText === undefined) throw new SpecmapError('NOTHING_TO_DO', `no agent transcript was stored with this checkpoint`);
  const before = previous ? await inTree(previous) : undefined;
  return userPrompts(nowText).slice(before ? userPrompts(before).length : 0);
}
