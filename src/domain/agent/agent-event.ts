import { sessionRefName } from '../../shared/layout.js';
import { isSpecmapError } from '../../shared/errors.js';
import { checkpointLocked, sessionTipAndTree } from '../checkpoint/checkpoint.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { endSession } from '../session/end.js';
import { checkStartInput, startSession, type StartInput, type StartOutcome } from '../session/start.js';
import { loadSession, saveSession, sessionsWithMeta } from '../session/store.js';
import { resolveActiveSession } from '../session/lookup.js';
import { readRef, updateRef } from '../../storage/git/refs.js';
import { applyChanges, isSpecmapFile } from '../session/artifacts.js';
import { commitChanges } from '../../storage/git/commits.js';
import { trackArtifact } from '../session/track.js';
import { AGENT_SESSION_KEY, conversationSession, findAgentSession, guessFileAction } from './agent-session.js';
import { compileRules, redact } from './redact.js';
import { newTranscriptLines, storeTranscriptTurn, type TranscriptTurn } from './transcripts.js';
import { changesSinceBaseline, dropTurnBaseline, markTurnClosed, markTurnOpen, moveTurnBaseline, takeIntoBaseline, takeTurnBaseline, turnPrompt } from './turn-baseline.js';
import { commandSummary, isDestructiveCommand } from './destructive-commands.js';
import { applyRawChanges } from '../../storage/git/tree-edit.js';

/**
 * One agent hook event, whatever the agent: the adapters (Claude Code today) parse their payloads into this, and
 * the policy below says what each means for specmap. `conversation` is the agent's own session id.
 */
export type AgentEvent =
  | { kind: 'session-start'; conversation: string; agent: string; focus?: string; resumed?: boolean }
  /** The user sent a prompt: the turn's baseline is taken, so its checkpoint holds only what the turn changed. */
  | { kind: 'turn-start'; conversation: string; agent: string; prompt?: string }
  /** The agent is about to run a shell command: a destructive one gets a safety checkpoint first. */
  | { kind: 'before-shell'; conversation: string; agent: string; command: string }
  | { kind: 'file-written'; conversation: string; agent: string; file: string; action?: 'created' | 'modified' }
  | { kind: 'turn-end'; conversation: string; agent: string; transcriptPath?: string; prompt?: string }
  | { kind: 'session-end'; conversation: string; transcriptPath?: string }
  | { kind: 'other'; note?: string };

/**
 * An agent event as the domain takes it: a written file is a project path already (undefined when it lies outside
 * the project). This is also what the queue holds when a hook could not get the lock in time.
 */
export type ProjectAgentEvent =
  | Exclude<AgentEvent, { kind: 'file-written' }>
  | { kind: 'file-written'; conversation: string; agent: string; path: string | undefined; action?: 'created' | 'modified' };

export interface AgentOutcome {
  action: 'started' | 'resumed' | 'baseline' | 'tracked' | 'checkpoint' | 'unchanged' | 'ended' | 'ignored' | 'queued';
  session?: string;
  checkpoint?: string;
  listedAs?: 'created' | 'modified';
  /** For the agent to read at session start. */
  context?: string;
  /** One line for the agent's log. */
  note?: string;
  /** The session ZIP was deferred: it is owed and a detached process should write it. */
  backupDeferred?: boolean;
}

const DESCRIPTION_MAX = 72;

/**
 * A turn checkpoint's description: the turn's prompt on one line, cut at a word near 72 characters (like a commit
 * subject), or "<agent> turn ended" when the transcript has none.
 */
export function turnDescription(prompt: string | undefined, agent: string): string {
  const line = (prompt ?? '').replace(/\s+/g, ' ').trim();
  if (line === '') return `${agent} turn ended`;
  if (line.length <= DESCRIPTION_MAX) return line;
  const cut = line.slice(0, DESCRIPTION_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > DESCRIPTION_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Where a safety checkpoint's full local snapshot is kept (untracked files included). */
export const safetyRefName = (session: string, checkpoint: string) => `refs/specmap/safety/${session}/${checkpoint}`;

/**
 * The last prompt a person wrote: Claude Code also files its own messages as user prompts (a background task's
 * `<task-notification>`, a slash command's `<command-name>`), which say nothing about what the turn was for.
 */
function lastPrompt(prompts: string[]): string | undefined {
  return prompts.filter((p) => !/^<(task-notification|command-|local-command-)/.test(p)).at(-1);
}

/** What the agent is told when a conversation starts: which session records it and how to checkpoint. */
export function sessionContext(id: string, resumed: boolean): string {
  return `specmap: this conversation is recorded as session ${id}${resumed ? ' (resumed)' : ''}. `
    + `Checkpoint with \`specmap checkpoint ${id} "<what is done>"\` after milestones and before risky changes; `
    + `files you write are tracked automatically.`;
}

/** What the agent is told when a conversation starts with no session yet: one opens at its first change. */
export function watchingContext(conversation: string, agent: string): string {
  return 'specmap: this conversation is recorded; its session opens at its first change to the project. To name it, '
    + `call the specmap session_start tool, or run \`specmap start "<focus>" ${agent} --meta agent_session_id=${conversation}\`. `
    + 'Each turn is checkpointed when it ends; files you write are tracked automatically.';
}

/** A new session for this conversation, tagged with its id. Lock held. */
async function startConversationSession(
  project: Project,
  ev: { conversation: string; agent: string; focus?: string },
  continued?: { id: string; base?: string },
): Promise<string> {
  const started = await startSession(project, {
    focus: ev.focus ?? `${ev.agent} session`,
    agent: ev.agent,
    metadata: { [AGENT_SESSION_KEY]: ev.conversation, ...(continued ? { continues: continued.id } : {}) },
    ...(continued?.base ? { base: continued.base } : {}),
  });
  if (started.gitignoreUpdated) await takeIntoBaseline(project, ev.conversation, '.gitignore');
  return started.id;
}

/**
 * The conversation's session, opened at its first change when it has none: a new one tagged with the conversation,
 * or — for a conversation resumed after its session ended (`claude --resume`) — one that continues the ended
 * session from its last checkpoint, so it does not take all the earlier work again. Lock held.
 */
async function openConversationSession(project: Project, ev: { conversation: string; agent: string }, focus?: string): Promise<{ id: string; continues?: string }> {
  const ended = sessionsWithMeta(project, ['archive'], AGENT_SESSION_KEY, ev.conversation).at(-1);
  if (!ended) return { id: await startConversationSession(project, { ...ev, focus }) };
  const base = await readRef(project.git, sessionRefName(ended.id));
  const endedFocus = loadSession(ended).session.focus || undefined;
  return { id: await startConversationSession(project, { ...ev, focus: endedFocus ?? focus }, { id: ended.id, base }), continues: ended.id };
}

/**
 * An explicit start (session_start through MCP or `specmap start`) carrying the conversation's id — Claude Code's
 * PreToolUse hook adds it to the session_start tool's input — meets the hooks here: a conversation that already has
 * its session (opened at its first change) gets that one named and focused instead of a second one; otherwise a new
 * session tagged with the conversation starts, as a session the hooks would have opened. Lock held.
 */
export async function startConversationExplicitly(project: Project, input: StartInput): Promise<StartOutcome & { existing: boolean }> {
  const conversation = input.metadata?.[AGENT_SESSION_KEY];
  const existing = conversation ? conversationSession(project, conversation)?.id : undefined;
  if (!conversation || !existing) return { ...(await startSession(project, input)), existing: false };
  const { focus, agent, metadata } = checkStartInput(input);
  const h = await resolveActiveSession(project, existing, "'specmap start'");
  const doc = loadSession(h);
  doc.session.focus = focus;
  doc.session.agent = agent;
  doc.metadata = { ...(doc.metadata ?? {}), ...metadata };
  saveSession(h, doc);
  return {
    id: h.id, focus, agent, date: doc.session.date, startTime: doc.session.start_time,
    workspace: `${h.relDir}/`, ref: sessionRefName(h.id), baseCommit: String(doc.git?.base_commit ?? ''), emptyBase: false,
    initialized: [], gitignoreUpdated: false, existing: true,
  };
}

/**
 * Session start → the turn baseline taken, and the agent told how it is recorded. The session itself opens at the
 * conversation's first change (an explicit session_start names it), so a conversation that changes nothing leaves
 * nothing behind; a conversation that has an active session is told it is resumed. One session per conversation,
 * never one shared with another conversation or adopted from a person. Lock held.
 */
export async function agentSessionStarted(project: Project, ev: { conversation: string; agent: string; focus?: string; resumed?: boolean }): Promise<AgentOutcome> {
  const found = conversationSession(project, ev.conversation);
  const existing = found?.id;
  await takeTurnBaseline(project, ev.conversation, existing);
  if (found) return { action: found.adopted ? 'started' : 'resumed', session: found.id, context: sessionContext(found.id, !found.adopted) };
  return { action: 'baseline', context: watchingContext(ev.conversation, ev.agent) };
}

/** A turn begins (the user sent a prompt) → its baseline: the turn's checkpoint will hold what changed from here. Lock held. */
export async function agentTurnStarted(project: Project, ev: { conversation: string; prompt?: string }): Promise<AgentOutcome> {
  const session = conversationSession(project, ev.conversation)?.id;
  await takeTurnBaseline(project, ev.conversation, session, ev.prompt);
  markTurnOpen(project, ev.conversation);
  return { action: 'baseline', ...(session ? { session } : {}) };
}

/**
 * A file tool wrote `path` (project-relative; undefined when the file is outside the project, which is never the
 * session's artifact: agents keep plans and scratch under ~/.claude). The conversation's session opens here if this
 * is its first change. Lock held.
 */
export async function agentFileWritten(project: Project, ev: { conversation: string; agent: string; path: string | undefined; action?: 'created' | 'modified' }, focus?: string): Promise<AgentOutcome> {
  let session = conversationSession(project, ev.conversation)?.id;
  // Outside the project, or specmap's own records (a session's notes, say): never the session's artifact.
  if (ev.path === undefined || isSpecmapFile(ev.path)) return { action: 'ignored', ...(session ? { session } : {}) };
  session ??= (await openConversationSession(project, ev, focus)).id;
  const action = ev.action ?? await guessFileAction(project, ev.path).catch(() => 'modified' as const);
  const r = await trackArtifact(project, { session, path: ev.path, action });
  return { action: 'tracked', session, listedAs: r.listedAs };
}

/**
 * A checkpoint of what the conversation changed since its baseline (every change since the session's last
 * checkpoint when it has no baseline: hooks installed before specmap took baselines), with the files it created,
 * modified, deleted or renamed — through a file tool or a shell — as artifacts. The session opens here if this is
 * the conversation's first change. 'unchanged' when the project is as the baseline has it. Lock held, queued work
 * settled.
 */
async function checkpointTurn(
  project: Project,
  ev: { conversation: string; agent: string },
  description: (session: string) => Promise<string> | string,
  focus?: string,
  safety = false,
): Promise<AgentOutcome> {
  let session = conversationSession(project, ev.conversation)?.id;
  const turn = await changesSinceBaseline(project, ev.conversation, session);
  if (turn?.changes.length === 0 || (!turn && !session)) return { action: 'unchanged', ...(session ? { session } : {}) };
  // Opening the session may move the baseline itself (takeIntoBaseline): then it is read again when it moves on.
  const opened = session === undefined;
  session ??= (await openConversationSession(project, ev, focus)).id;
  const h = await resolveActiveSession(project, session, 'the agent');
  let moved = false;
  try {
    const doc = loadSession(h);
    const base = await sessionTipAndTree(project, h.id, doc);
    const tree = turn ? await applyRawChanges(project.git, base.tree, turn.changes) : undefined;
    const r = await checkpointLocked(project, h, doc, {
      description: await description(session),
      allowEmpty: false,
      base,
      ...(tree ? { tree } : {}),
      turn: { agent: ev.agent, ...(turn ? { baseline: turn.baseline } : {}) },
    });
    // Without a baseline the session's first checkpoint is a diff against its base, which also holds files that
    // were lying untracked before the conversation began: those are not the turn's artifacts.
    const after = loadSession(h);
    const artifacts = turn || after.checkpoints.length > 1;
    // The artifacts' diff and the baseline's move are independent git calls: side by side.
    const [diff, move] = await Promise.allSettled([
      artifacts ? commitChanges(project.git, r.commit) : undefined,
      turn ? moveTurnBaseline(project, ev.conversation, turn.tree, opened ? undefined : turn.baseline) : undefined,
    ]);
    moved = move.status === 'fulfilled';
    if (diff.status === 'rejected') throw diff.reason;
    if (move.status === 'rejected') throw move.reason;
    const changes = diff.value;
    if (changes) {
      applyChanges(after, changes);
      saveSession(h, after);
    }
    // Before a destructive command, the whole project as it is — the untracked files the checkpoint leaves out
    // included, secrets excepted — is kept locally, never pushed, for `git restore --source=<ref> -- <path>`.
    if (safety && turn) await updateRef(project.git, safetyRefName(h.id, r.id), turn.tree, undefined, 'specmap: safety snapshot');
    return { action: 'checkpoint', session, checkpoint: r.id };
  } catch (err) {
    if (isSpecmapError(err) && err.code === 'NOTHING_TO_DO') return { action: 'unchanged', session };
    throw err;
  } finally {
    if (turn && !moved) await moveTurnBaseline(project, ev.conversation, turn.tree);
  }
}

/**
 * The agent's turn ended → a checkpoint of what the turn changed, named after its prompt, and the turn's new
 * transcript lines stored beside it (linked to the checkpoint), in one lock. No checkpoint for a turn that changed
 * nothing; its lines are stored all the same once the conversation has a session. Unless the config turns it off
 * (agent_hooks.checkpoint_on_stop: false). Lock held, queued work settled.
 */
export async function agentTurnEnded(project: Project, ev: { conversation: string; agent: string; transcriptPath?: string; prompt?: string }, focus?: string): Promise<AgentOutcome> {
  markTurnClosed(project, ev.conversation);
  if (!projectConfig(project).checkpointOnStop) return { action: 'ignored' };
  let lines: TranscriptTurn | undefined;
  let refused: string | undefined;
  let failed: string | undefined;
  // A transcript_path outside the agents' folders is never read, and a transcript that cannot be read or redacted
  // never stops the checkpoint: the turn is checkpointed all the same, without the lines.
  const read = async (session: string, path: string): Promise<TranscriptTurn | undefined> => {
    try {
      return await newTranscriptLines(project, session, path);
    } catch (err) {
      if (isSpecmapError(err) && err.details.kind === 'transcript-refused') refused = `specmap: ${err.message}`;
      else failed = (err as Error)?.message ?? String(err);
      return undefined;
    }
  };
  const described = async (session: string): Promise<string> => {
    lines = ev.transcriptPath ? await read(session, ev.transcriptPath) : undefined;
    // The checkpoint says what the turn was for: the prompt that started it, from the redacted lines.
    const prompt = lastPrompt(lines?.prompts ?? []) ?? ev.prompt ?? turnPrompt(project, ev.conversation);
    return turnDescription(prompt === undefined ? undefined : redact(prompt, compileRules(projectConfig(project).redactPatterns)), ev.agent);
  };
  const outcome = await checkpointTurn(project, ev, described, focus);
  if (failed) return { ...outcome, note: `specmap: the turn's transcript was not kept: ${failed}` };
  if (refused && (!outcome.session || !ev.transcriptPath)) return { ...outcome, note: refused };
  if (!outcome.session || !ev.transcriptPath) return outcome;
  try {
    if (!lines && !refused && !failed) lines = await read(outcome.session, ev.transcriptPath);
    if (failed) return { ...outcome, note: `specmap: the turn's transcript was not kept: ${failed}` };
    if (lines) await storeTranscriptTurn(project, outcome.session, lines, outcome.action === 'checkpoint' ? outcome.checkpoint : undefined);
    return refused ? { ...outcome, note: refused } : outcome;
  } catch (err) {
    return { ...outcome, note: `specmap: the turn's transcript was not kept: ${(err as Error)?.message ?? String(err)}` };
  }
}

/**
 * The agent is about to run a shell command → when it may destroy files or changes (rm, mv, git checkout/clean/
 * reset …), a safety checkpoint of what the conversation changed so far, so the command cannot take the turn's work
 * with it. Ordinary commands cost nothing. Lock held.
 */
export async function agentBeforeShell(project: Project, ev: { conversation: string; agent: string; command: string }, focus?: string): Promise<AgentOutcome> {
  if (!isDestructiveCommand(ev.command)) return { action: 'ignored' };
  return checkpointTurn(project, ev, () => `safety checkpoint before: ${commandSummary(ev.command)}`, focus, true);
}

/**
 * The conversation ended → the session ended with the ZIP deferred (an agent gives a hook little time), then the
 * transcript's last lines stored, where the deferred ZIP picks them up; under one lock. The end comes first, so a
 * large or unreadable transcript can never leave the session active. Only a session this conversation started is
 * ended, never one a person opened by hand. The turn baseline goes. Lock held.
 */
export async function agentSessionEnded(project: Project, ev: { conversation: string; transcriptPath?: string }): Promise<AgentOutcome> {
  await dropTurnBaseline(project, ev.conversation);
  const session = findAgentSession(project, ev.conversation);
  if (!session) return { action: 'ignored' };
  await endSession(project, { session, backup: 'deferred' });
  let note: string | undefined;
  if (ev.transcriptPath) {
    try {
      const lines = await newTranscriptLines(project, session, ev.transcriptPath);
      if (lines) await storeTranscriptTurn(project, session, lines);
    } catch (err) {
      note = `specmap: ${session} ended; its transcript was not kept: ${(err as Error)?.message ?? String(err)}`;
    }
  }
  return { action: 'ended', session, backupDeferred: true, ...(note ? { note } : {}) };
}

/** One agent event, applied: what each kind means for specmap. Lock held, queued work settled. */
export async function applyAgentEvent(project: Project, ev: ProjectAgentEvent, focus?: string): Promise<AgentOutcome> {
  switch (ev.kind) {
    case 'session-start':
      return agentSessionStarted(project, { ...ev, focus: ev.focus ?? focus });
    case 'turn-start':
      return agentTurnStarted(project, ev);
    case 'before-shell':
      return agentBeforeShell(project, ev, focus);
    case 'file-written':
      return agentFileWritten(project, ev, focus);
    case 'turn-end':
      return agentTurnEnded(project, ev, focus);
    case 'session-end':
      return agentSessionEnded(project, ev);
    default:
      return { action: 'ignored', ...(ev.note ? { note: ev.note } : {}) };
  }
}

