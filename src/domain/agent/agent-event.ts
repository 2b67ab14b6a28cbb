import { readFileSync } from 'node:fs';
import { abs, sessionRefName } from '../../shared/layout.js';
import { isSpecmapError } from '../../shared/errors.js';
import { checkpointLocked } from '../checkpoint/checkpoint.js';
import { projectConfig } from '../project/config.js';
import type { Project } from '../project/project.js';
import { endSession } from '../session/end.js';
import { startSession } from '../session/start.js';
import { loadSession, resolveActiveSession, resolveSession, saveSession, sessionsWithMeta } from '../session/store.js';
import { readRef } from '../../storage/git/refs.js';
import { applyChanges } from '../session/artifacts.js';
import { commitChanges } from '../../storage/git/commits.js';
import { trackArtifact } from '../session/track.js';
import { AGENT_SESSION_KEY, findAgentSession, guessFileAction } from './agent-session.js';
import { storeTranscript, userPrompts } from './transcripts.js';

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
  action: 'started' | 'resumed' | 'tracked' | 'checkpoint' | 'unchanged' | 'ended' | 'ignored' | 'queued';
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

/** What the agent is told when a conversation starts: which session records it and how to checkpoint. */
export function sessionContext(id: string, resumed: boolean): string {
  return `specmap: this conversation is recorded as session ${id}${resumed ? ' (resumed)' : ''}. `
    + `Checkpoint with \`specmap checkpoint ${id} "<what is done>"\` after milestones and before risky changes; `
    + `files you write are tracked automatically.`;
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
  return started.id;
}

/**
 * Session start → the session tagged with this conversation, resumed, or a new one: one session per conversation,
 * never one shared with another conversation or adopted from a person. Lock held.
 */
export async function agentSessionStarted(project: Project, ev: { conversation: string; agent: string; focus?: string; resumed?: boolean }): Promise<AgentOutcome> {
  const existing = findAgentSession(project, ev.conversation);
  if (existing) return { action: 'resumed', session: existing, context: sessionContext(existing, true) };
  // A conversation resumed after it ended (`claude --resume`): its ended session is continued by a new one that
  // starts where that one's last checkpoint left off, so it does not take all the earlier work again.
  const ended = ev.resumed ? sessionsWithMeta(project, ['archive'], AGENT_SESSION_KEY, ev.conversation).at(-1) : undefined;
  if (ended) {
    const focus = loadSession(ended).session.focus || undefined;
    const base = await readRef(project.git, sessionRefName(ended.id));
    const id = await startConversationSession(project, { ...ev, focus }, { id: ended.id, base });
    return { action: 'resumed', session: id, context: `${sessionContext(id, true)} It continues ${ended.id}.` };
  }
  const id = await startConversationSession(project, ev);
  return { action: 'started', session: id, context: sessionContext(id, false) };
}

/**
 * A file tool wrote `path` (project-relative; undefined when the file is outside the project, which is never the
 * session's artifact: agents keep plans and scratch under ~/.claude). Lock held.
 */
export async function agentFileWritten(project: Project, ev: { conversation: string; agent: string; path: string | undefined; action?: 'created' | 'modified' }, focus?: string): Promise<AgentOutcome> {
  let session = findAgentSession(project, ev.conversation);
  if (ev.path === undefined) return { action: 'ignored', ...(session ? { session } : {}) };
  // No SessionStart was seen (the hooks were installed mid-conversation): the conversation's session opens at its
  // first change in the project.
  session ??= await startConversationSession(project, { ...ev, focus });
  const action = ev.action ?? await guessFileAction(project, ev.path).catch(() => 'modified' as const);
  const r = trackArtifact(project, { session, path: ev.path, action });
  return { action: 'tracked', session, listedAs: r.listedAs };
}

/**
 * The agent's turn ended → the transcript and a checkpoint of everything changed (so files changed through a shell
 * are caught too), in one lock: the checkpoint contains the transcript that explains it. Unless the config turns it
 * off (agent_hooks.checkpoint_on_stop: false). Lock held, queued work settled.
 */
export async function agentTurnEnded(project: Project, ev: { conversation: string; agent: string; transcriptPath?: string }): Promise<AgentOutcome> {
  if (!projectConfig(project).checkpointOnStop) return { action: 'ignored' };
  const session = findAgentSession(project, ev.conversation);
  if (!session) return { action: 'ignored' };
  const h = resolveActiveSession(project, session);
  const stored = ev.transcriptPath ? storeTranscript(project, h, ev.transcriptPath) : undefined;
  // The checkpoint says what the turn was for: the prompt that started it, from the stored (redacted) copy.
  const prompt = stored ? userPrompts(readFileSync(abs(project.root, stored), 'utf8')).at(-1) : undefined;
  try {
    const r = await checkpointLocked(project, h, loadSession(h), { description: turnDescription(prompt, ev.agent), allowEmpty: false });
    // Files the turn created, deleted or renamed through a shell are artifacts too: the turn's diff says which. Not
    // for the session's first checkpoint: its diff is against the session's base, so it also holds files that were
    // lying untracked before the conversation began (and specmap's own .gitignore line), which it did not make.
    const doc = loadSession(h);
    if (doc.checkpoints.length > 1) {
      applyChanges(doc, await commitChanges(project.git, r.commit));
      saveSession(h, doc);
    }
    return { action: 'checkpoint', session, checkpoint: r.id };
  } catch (err) {
    if (isSpecmapError(err) && err.code === 'NOTHING_TO_DO') return { action: 'unchanged', session };
    throw err;
  }
}

/**
 * The conversation ended → the session ended with the ZIP deferred (an agent gives a hook little time), then its
 * transcript copied into the archived folder, where the deferred ZIP picks it up; under one lock. The end comes
 * first, so a large or unreadable transcript can never leave the session active. Only a session this conversation
 * started is ended, never one a person opened by hand. Lock held.
 */
export async function agentSessionEnded(project: Project, ev: { conversation: string; transcriptPath?: string }): Promise<AgentOutcome> {
  const session = findAgentSession(project, ev.conversation);
  if (!session) return { action: 'ignored' };
  await endSession(project, { session, backup: 'deferred' });
  let note: string | undefined;
  if (ev.transcriptPath) {
    try {
      storeTranscript(project, resolveSession(project, session, { states: ['archive'] }), ev.transcriptPath);
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
    case 'file-written':
      return agentFileWritten(project, ev, focus);
    case 'turn-end':
      return agentTurnEnded(project, ev);
    case 'session-end':
      return agentSessionEnded(project, ev);
    case 'turn-start':
    case 'before-shell':
      return { action: 'ignored' };
    default:
      return { action: 'ignored', ...(ev.note ? { note: ev.note } : {}) };
  }
}

