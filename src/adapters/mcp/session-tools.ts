import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { start } from '../../api/start.js';
import { startResult } from '../../api/contract/start.js';
import { checkpoint } from '../../api/checkpoint.js';
import { checkpointResult } from '../../api/contract/checkpoint.js';
import { track } from '../../api/track.js';
import { trackResult } from '../../api/contract/track.js';
import { end } from '../../api/end.js';
import { endResult } from '../../api/contract/end.js';
import { listSessions } from '../../api/list-sessions.js';
import { listSessionsResult } from '../../api/contract/list-sessions.js';
import { showSession } from '../../api/show-session.js';
import { showSessionResult } from '../../api/contract/show-session.js';
import { addTool, projectDir, projectPath, sessionId, type ServerContext } from './tool.js';

/** Metadata values arrive as JSON scalars; session.yaml stores them as strings, as the CLI's --meta does. */
const metadataValue = z.union([z.string(), z.number(), z.boolean()]);

export function registerSessionTools(server: McpServer, ctx: ServerContext): void {
  addTool(server, ctx, 'session_start', {
    title: 'Start a session',
    description:
      'Start a new work session before you begin a task, so that what you create and change is tracked and can be ' +
      'checkpointed and restored. Creates the session folder (artifacts/, notes/, decisions/, snapshots/, session.yaml) ' +
      'and the git ref refs/sessions/<id>. Returns the session id: pass it to every other session_* tool.',
    input: {
      project_path: projectPath,
      focus: z.string().min(1).max(200).describe('What the session is about, in a few words, e.g. "authentication feature".'),
      agent: z.string().min(1).max(100).default('claude').describe('The AI agent doing the work.'),
      metadata: z.record(z.string(), metadataValue).optional().describe('Extra facts to record, e.g. {"ticket": "AUTH-12"}.'),
    },
    output: startResult.shape,
    run: async (a) => {
      const metadata = Object.fromEntries(Object.entries(a.metadata ?? {}).map(([k, v]) => [k, String(v)]));
      const r = await start({ cwd: projectDir(ctx, a.project_path), focus: a.focus, agent: a.agent, metadata });
      return { text: `Session started: ${r.session_id}\nWorkspace: ${r.workspace}\nGit ref: ${r.git_ref} -> ${r.base_commit.slice(0, 12)}`, data: r };
    },
  });

  addTool(server, ctx, 'session_checkpoint', {
    title: 'Checkpoint the work',
    description:
      'Save a restorable snapshot of the work so far, as a git commit on the session ref (your index, HEAD and files ' +
      'are not touched). Call it after each working step, before a risky change, and before you stop. With ' +
      'files_to_snapshot it saves just those files or folders; without it, every change since the previous checkpoint.',
    input: {
      project_path: projectPath,
      session_id: sessionId,
      description: z.string().min(1).max(2000).describe('What state the work is in, e.g. "Auth logic implemented, tests pass".'),
      files_to_snapshot: z.array(z.string().min(1)).optional().describe('Files or folders, relative to the project root.'),
      allow_empty: z.boolean().optional().describe('Write the checkpoint even when nothing changed.'),
    },
    output: checkpointResult.shape,
    run: async (a) => {
      const r = await checkpoint({
        cwd: projectDir(ctx, a.project_path), session: a.session_id, description: a.description, files: a.files_to_snapshot, allowEmpty: a.allow_empty,
      });
      const files = r.files.length === 0 ? '(none)' : r.files.map((f) => `${f.path} (${f.status})`).join(', ');
      return {
        text: `Checkpoint ${r.checkpoint_id} of ${r.session_id}: "${r.description.split('\n')[0]}"\nCommit ${r.commit.slice(0, 12)} (${r.tag})\nFiles: ${files}`,
        data: r,
      };
    },
  });

  addTool(server, ctx, 'session_track_artifact', {
    title: 'Track a file',
    description:
      "Record a file you created or modified in the session's artifacts, so the session summary and backups list it. " +
      'Call it after writing a file (git hooks and Claude Code hooks also do this automatically when installed).',
    input: {
      project_path: projectPath,
      session_id: sessionId,
      file_path: z.string().min(1).describe('The file, relative to the project root (or absolute, inside the project).'),
      action: z.enum(['created', 'modified']).describe('"created" for a new file, "modified" for a changed one.'),
    },
    output: trackResult.shape,
    run: async (a) => {
      const r = await track({ cwd: projectDir(ctx, a.project_path), session: a.session_id, file: a.file_path, action: a.action });
      return { text: `${r.changed ? 'Tracked' : 'Already tracked'}: ${r.file_path} (${r.listed_as})`, data: r };
    },
  });

  addTool(server, ctx, 'session_end', {
    title: 'End the session',
    description:
      'End a session when the task is done: records the final metrics and RULEMAP score, writes the session ZIP ' +
      'backup, moves the folder to sessions/archive/ and updates the daily summary. The session cannot take ' +
      'checkpoints afterwards, so checkpoint first if there is unsaved work.',
    input: {
      project_path: projectPath,
      session_id: sessionId,
      rulemap_score: z.number().min(0).max(10).optional().describe('How well the work followed the RULEMAP method, 0 to 10.'),
      create_backup: z.boolean().default(true).describe('Write the session ZIP backup (default true).'),
    },
    output: endResult.shape,
    run: async (a) => {
      const r = await end({ cwd: projectDir(ctx, a.project_path), session: a.session_id, score: a.rulemap_score, backup: a.create_backup });
      const lines = [
        `Session completed: ${r.session_id} (${r.duration_minutes} minutes, ${r.files_created} created, ${r.files_modified} modified, ${r.checkpoints} checkpoints)`,
        `RULEMAP score: ${r.rulemap_score === null ? 'not given' : `${r.rulemap_score}/10`}`,
        `Backup: ${r.backup ? r.backup.path : 'skipped'}`,
        `Archived: ${r.archive}`,
        ...r.warnings.map((w) => `Warning: ${w}`),
      ];
      return { text: lines.join('\n'), data: r };
    },
  });

  addTool(server, ctx, 'session_list_active', {
    title: 'List active sessions',
    description:
      'List the sessions that are in progress (with include_archived, the completed ones too). Call it when you do ' +
      'not know the session id, or to resume work: an active session for your task can be continued.',
    input: {
      project_path: projectPath,
      include_archived: z.boolean().optional().describe('Also list completed (archived) sessions.'),
    },
    output: listSessionsResult.shape,
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await listSessions({ cwd: projectDir(ctx, a.project_path), all: a.include_archived });
      const what = a.include_archived ? 'sessions' : 'active sessions';
      const lines = r.sessions.length === 0
        ? [`No ${what}.`]
        : [`${r.sessions.length} ${what}:`, ...r.sessions.map((s) => `- ${s.session_id} (${s.status}, ${s.checkpoints} checkpoints): ${s.focus}`)];
      for (const p of r.problems) lines.push(`Problem: ${p}`);
      return { text: lines.join('\n'), data: r };
    },
  });

  addTool(server, ctx, 'session_show', {
    title: 'Show a session',
    description:
      "Everything recorded about one session: focus, agent, times, tracked artifacts, checkpoints and metrics (the " +
      "session.yaml document). Call it to pick up where a session left off.",
    input: { project_path: projectPath, session_id: sessionId },
    output: showSessionResult.shape,
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await showSession({ cwd: projectDir(ctx, a.project_path), session: a.session_id });
      const text = [
        `Session ${r.session_id} (${r.status}${r.state === 'archive' ? ', archived' : ''}): ${r.focus}`,
        `Agent ${r.agent}, started ${r.date} ${r.start_time}${r.end_time ? `, ended ${r.end_time}` : ''}`,
        `Artifacts: ${r.artifacts.created.length} created, ${r.artifacts.modified.length} modified`,
        `Checkpoints (${r.checkpoints.length}):`,
        ...r.checkpoints.map((c) => `- ${c.checkpoint_id} ${c.time} ${c.description.split('\n')[0]}`),
      ].join('\n');
      return { text, data: r };
    },
  });
}
