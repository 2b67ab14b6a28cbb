import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Project } from '../project/project.js';
import { agentInboxDir } from '../project/queues.js';
import { toProjectPath } from '../../storage/fs/project-path.js';
import { applyAgentEvent, type AgentOutcome } from './agent-event.js';
import { PAYLOAD_PARSERS } from './payloads/index.js';

/** The first field of every inbox file (bin/specmap-record writes it): the format and its version. */
const MAGIC = 'specmap-agent-event 1';
/** A temporary file the recorder never renamed (it was killed) is dropped after this long. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** One inbox file: the recorder's header (NUL-separated) and the payload as the agent gave it. */
interface Recorded {
  agent: string;
  hookEvent: string;
  /** The hook's working directory. */
  pwd: string;
  /** The project folder the agent's environment named (CLAUDE_PROJECT_DIR…), or ''. */
  project: string;
  focus: string;
  payload: Record<string, unknown>;
}

function readRecorded(file: string): Recorded | undefined {
  const buf = readFileSync(file);
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 6; i++) {
    const nul = buf.indexOf(0, at);
    if (nul < 0) return undefined;
    fields.push(buf.subarray(at, nul).toString('utf8'));
    at = nul + 1;
  }
  const [magic, agent, hookEvent, pwd, project, focus] = fields as [string, string, string, string, string, string];
  if (magic !== MAGIC) return undefined;
  const payload = JSON.parse(buf.subarray(at).toString('utf8')) as unknown;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  return { agent, hookEvent, pwd, project, focus, payload: payload as Record<string, unknown> };
}

/**
 * Applies the events bin/specmap-record left in the inbox, oldest first, removing each file once applied. Only a
 * written file is taken from there (that is all the recorder is installed for): it is tracked as an artifact as if the
 * hook had run in Node, its path resolved against the agent's cwd. Applying one twice (a command killed between the two
 * steps) changes nothing. An unreadable file is dropped: the turn's checkpoint takes what it recorded anyway. Lock held.
 */
export async function settleAgentInboxLocked(project: Project): Promise<AgentOutcome[]> {
  const dir = agentInboxDir(project);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const now = Date.now();
  const files: { path: string; mtime: number; name: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const mtime = statSync(path).mtimeMs;
      if (name.startsWith('ev.')) files.push({ path, mtime, name });
      else if (now - mtime > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // Gone already.
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : 1));
  const outcomes: AgentOutcome[] = [];
  for (const f of files) {
    try {
      outcomes.push(...(await applyRecorded(project, f.path)));
    } catch (err) {
      outcomes.push({ action: 'ignored', note: `specmap: a recorded agent event was dropped: ${(err as Error)?.message ?? String(err)}` });
    }
    rmSync(f.path, { force: true });
  }
  return outcomes;
}

async function applyRecorded(project: Project, file: string): Promise<AgentOutcome[]> {
  const rec = readRecorded(file);
  if (!rec) return [{ action: 'ignored', note: 'specmap: an unreadable recorded agent event was dropped' }];
  const parse = PAYLOAD_PARSERS[rec.agent];
  if (!parse) return [{ action: 'ignored', note: `specmap: a recorded event of unknown agent ${JSON.stringify(rec.agent.slice(0, 40))} was dropped` }];
  const parsed = parse(rec.payload, rec.agent, rec.hookEvent || undefined);
  const here = parsed.here && isAbsolute(parsed.here) ? parsed.here : rec.pwd;
  const out: AgentOutcome[] = [];
  for (const ev of parsed.events) {
    if (ev.kind !== 'file-written') continue;
    let path: string | undefined;
    try {
      path = toProjectPath(project.root, here, isAbsolute(ev.file) ? ev.file : resolve(here, ev.file));
    } catch {
      path = undefined;
    }
    out.push(await applyAgentEvent(project, { kind: 'file-written', conversation: ev.conversation, agent: ev.agent, path, ...(ev.action ? { action: ev.action } : {}) }, rec.focus || undefined));
  }
  return out;
}
