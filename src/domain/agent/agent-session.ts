import { SpecmapError } from '../../shared/errors.js';
import { openProject, withProjectLock, type ProjectOptions } from '../project/project.js';
import { settleLocked } from '../project/settle.js';
import { activeSessionsWithMeta, listSessionHandles } from '../session/store.js';
import { startSession, type StartOutcome } from '../session/start.js';
import { toProjectPath } from '../../storage/fs/project-path.js';
import { pathInCommit } from '../../storage/git/index.js';

/** The metadata key that ties a specmap session to the agent's own conversation id. */
export const AGENT_SESSION_KEY = 'agent_session_id';

export interface AgentSessionOptions extends ProjectOptions {
  agentSessionId: string;
  agent: string;
  focus?: string;
}

export type AgentSessionResult = { id: string; resumed: true } | ({ resumed: false } & StartOutcome);

/** The active session recording this agent conversation; a new one when there is none. */
export async function openAgentSession(opts: AgentSessionOptions): Promise<AgentSessionResult> {
  const existing = await findAgentSession(opts);
  if (existing) return { id: existing, resumed: true };
  const project = await openProject(opts);
  const started = await withProjectLock(project, async () => {
    await settleLocked(project);
    return startSession(project, {
      focus: opts.focus ?? `${opts.agent} session`,
      agent: opts.agent,
      metadata: { [AGENT_SESSION_KEY]: opts.agentSessionId },
    });
  });
  return { ...started, resumed: false };
}

/**
 * The session an agent event belongs to: the one tagged with its conversation id, else the only active session
 * (hooks set up in the middle of a conversation), else none.
 */
export async function findAgentSession(opts: ProjectOptions & { agentSessionId: string; strict?: boolean }): Promise<string | undefined> {
  const project = await openProject(opts);
  const tagged = activeSessionsWithMeta(project, AGENT_SESSION_KEY, opts.agentSessionId);
  if (tagged.length > 0) return tagged[0]!.id;
  if (opts.strict) return undefined;
  const active = listSessionHandles(project, ['active']);
  return active.length === 1 ? active[0]!.id : undefined;
}

/** "created" for a file that is not in HEAD (a file the agent just brought into being), else "modified". */
export async function guessFileAction(opts: ProjectOptions & { file: string }): Promise<'created' | 'modified'> {
  const project = await openProject(opts);
  const path = toProjectPath(project.root, project.cwd, opts.file);
  if (!path) throw new SpecmapError('INVALID_INPUT', 'no file');
  return (await pathInCommit(project.git, 'HEAD', path)) ? 'modified' : 'created';
}
