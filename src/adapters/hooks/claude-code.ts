import { isAbsolute, resolve } from 'node:path';
import { findAgentSession, guessFileAction, openAgentSession } from '../../domain/agent/agent-session.js';
import { checkpoint } from '../../api/checkpoint.js';
import { end } from '../../api/end.js';
import { isSpecmapError } from '../../shared/errors.js';
import { loadProjectConfig } from '../../domain/project/config.js';
import { openProject } from '../../domain/project/project.js';
import { track } from '../../api/track.js';
import { recordTranscript } from '../../domain/agent/transcripts.js';

/** The fields of a Claude Code hook event that specmap reads (see Claude Code's hooks reference). */
export interface ClaudeHookEvent {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  source?: string;
  reason?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: Record<string, unknown>;
  stop_hook_active?: boolean;
}

export interface AgentHookOutcome {
  /** What the hook prints on stdout: only where Claude Code reads it (SessionStart's context). */
  stdout?: string;
  /** One line for stderr (Claude Code shows it in verbose mode); never a failure exit. */
  note?: string;
  /** Set after SessionEnd: the ZIP was deferred and should be written by a detached process. */
  deferredBackupFor?: string;
  /** What happened, for tests and --json. */
  action: string;
  session?: string;
}

const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/**
 * Maps one Claude Code hook event onto specmap: SessionStart → start (or resume), PostToolUse of a file tool →
 * track, Stop → checkpoint of everything changed (so files changed through Bash are caught too), SessionEnd → end
 * with the ZIP deferred. Never throws: the agent must not be disturbed by specmap's problems.
 */
export async function handleClaudeEvent(event: ClaudeHookEvent, agent = 'claude'): Promise<AgentHookOutcome> {
  try {
    return await dispatch(event, agent);
  } catch (err) {
    const why = isSpecmapError(err) ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
    return { action: 'failed', note: `specmap: ${event.hook_event_name ?? 'hook'}: ${why}` };
  }
}

async function dispatch(event: ClaudeHookEvent, agent: string): Promise<AgentHookOutcome> {
  const cwd = event.cwd && isAbsolute(event.cwd) ? event.cwd : process.cwd();
  const agentSessionId = event.session_id ?? '';
  if (!agentSessionId) return { action: 'ignored', note: 'specmap: hook event without session_id; ignored' };
  switch (event.hook_event_name) {
    case 'SessionStart': {
      const r = await openAgentSession({ cwd, agentSessionId, agent, focus: process.env.SPECMAP_FOCUS || undefined });
      const context =
        `specmap: this conversation is recorded as session ${r.id}${r.resumed ? ' (resumed)' : ''}. ` +
        `Checkpoint with \`specmap checkpoint ${r.id} "<what is done>"\` after milestones and before risky changes; ` +
        `files you write are tracked automatically.`;
      return {
        action: r.resumed ? 'resumed' : 'started',
        session: r.id,
        stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } }),
      };
    }
    case 'PostToolUse': {
      if (!FILE_TOOLS.has(event.tool_name ?? '')) return { action: 'ignored' };
      const input = event.tool_input ?? {};
      const raw = typeof input.file_path === 'string' ? input.file_path : typeof input.notebook_path === 'string' ? input.notebook_path : undefined;
      if (!raw) return { action: 'ignored' };
      const session = await findAgentSession({ cwd, agentSessionId });
      if (!session) return { action: 'ignored', note: 'specmap: no session for this conversation; file not tracked' };
      const file = resolve(cwd, raw);
      const responseType = event.tool_response?.type;
      const action = responseType === 'create' ? 'created' : responseType === 'update' ? 'modified' : await guessFileAction({ cwd, file }).catch(() => 'modified' as const);
      try {
        const r = await track({ cwd, session, file, action });
        return { action: `tracked ${r.listed_as}`, session };
      } catch (err) {
        // Agents also write outside the project (plans, scratch under ~/.claude): not this session's artifacts.
        if (isSpecmapError(err) && (err.code === 'PATH_OUTSIDE_PROJECT' || err.code === 'INVALID_INPUT')) return { action: 'ignored', session };
        throw err;
      }
    }
    case 'Stop': {
      const project = await openProject({ cwd });
      if (!loadProjectConfig(project.root).checkpointOnStop) return { action: 'ignored' };
      const session = await findAgentSession({ cwd, agentSessionId });
      if (!session) return { action: 'ignored' };
      if (event.transcript_path) await recordTranscript({ cwd, session, transcriptPath: event.transcript_path });
      try {
        const r = await checkpoint({ cwd, session, description: `${agent} turn ended` });
        return { action: `checkpoint ${r.checkpoint_id}`, session };
      } catch (err) {
        if (isSpecmapError(err) && err.code === 'NOTHING_TO_DO') return { action: 'unchanged', session };
        throw err;
      }
    }
    case 'SessionEnd': {
      // Only a session this conversation started is ended by it, never one a person opened by hand.
      const session = await findAgentSession({ cwd, agentSessionId, strict: true });
      if (!session) return { action: 'ignored' };
      if (event.transcript_path) await recordTranscript({ cwd, session, transcriptPath: event.transcript_path });
      await end({ cwd, session, backup: 'deferred' });
      return { action: 'ended', session, deferredBackupFor: session };
    }
    default:
      return { action: 'ignored' };
  }
}
