import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { startSession } from '../../domain/session/start.js';
import { createCheckpoint } from '../../domain/checkpoint/checkpoint.js';
import { track } from '../../api/track.js';
import { trackResult } from '../../api/contract/track.js';
import { endSession } from '../../domain/session/end.js';
import { listSessions, type SessionSummary } from '../../domain/session/list.js';
import { showSession } from '../../domain/session/show.js';
import { addTool, projectDir, projectPath, sessionId, type ServerContext } from './tool.js';

const sessionSummary = z.object({
  session_id: z.string(),
  state: z.string().describe('active or archive'),
  status: z.string(),
  focus: z.string(),
  agent: z.string(),
  user: z.string().optional().describe('Who started it (git "Name <email>"), when recorded.'),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  checkpoints: z.number(),
  files_created: z.number(),
  files_modified: z.number(),
  rulemap_score: z.number().nullable(),
  workspace: z.string().describe('The session folder, relative to the project root.'),
});

function summaryOf(s: SessionSummary): z.infer<typeof sessionSummary> {
  return {
    session_id: s.id, state: s.state, status: s.status, focus: s.focus, agent: s.agent,
    ...(s.user ? { user: s.user } : {}),
    date: s.date, start_time: s.startTime, end_time: s.endTime, checkpoints: s.checkpoints,
    files_created: s.filesCreated, files_modified: s.filesModified, rulemap_score: s.rulemapScore, workspace: s.workspace,
  };
}

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
    output: {
      session_id: z.string(),
      focus: z.string(),
      agent: z.string(),
      date: z.string(),
      start_time: z.string(),
      workspace: z.string().describe('The session folder, relative to the project root.'),
      paths: z.object({
        artifacts: z.string(), notes: z.string(), decisions: z.string(), snapshots: z.string(), session_file: z.string(),
      }).describe('Where to put things in the session folder, relative to the project root.'),
      git_ref: z.string(),
      base_commit: z.string(),
      initialized: z.array(z.string()).describe('Layout folders created because the project was not set up yet.'),
    },
    run: async (a) => {
      const metadata = Object.fromEntries(Object.entries(a.metadata ?? {}).map(([k, v]) => [k, String(v)]));
      const r = await startSession({ cwd: projectDir(ctx, a.project_path), focus: a.focus, agent: a.agent, metadata });
      const w = r.workspace;
      return {
        text: `Session started: ${r.id}\nWorkspace: ${w}\nGit ref: ${r.ref} -> ${r.baseCommit.slice(0, 12)}`,
        data: {
          session_id: r.id, focus: r.focus, agent: r.agent, date: r.date, start_time: r.startTime, workspace: w,
          paths: { artifacts: `${w}artifacts/`, notes: `${w}notes/`, decisions: `${w}decisions/`, snapshots: `${w}snapshots/`, session_file: `${w}session.yaml` },
          git_ref: r.ref, base_commit: r.baseCommit, initialized: r.initialized,
        },
      };
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
    output: {
      session_id: z.string(),
      checkpoint_id: z.string(),
      time: z.string(),
      description: z.string(),
      commit: z.string(),
      tag: z.string(),
      files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted', 'unchanged']) })),
      manifest: z.string(),
    },
    run: async (a) => {
      const r = await createCheckpoint({
        cwd: projectDir(ctx, a.project_path), session: a.session_id, description: a.description, files: a.files_to_snapshot, allowEmpty: a.allow_empty,
      });
      const files = r.files.length === 0 ? '(none)' : r.files.map((f) => `${f.path} (${f.status})`).join(', ');
      return {
        text: `Checkpoint ${r.id} of ${r.session}: "${r.description.split('\n')[0]}"\nCommit ${r.commit.slice(0, 12)} (${r.tag})\nFiles: ${files}`,
        data: {
          session_id: r.session, checkpoint_id: r.id, time: r.time, description: r.description, commit: r.commit, tag: r.tag,
          files: r.files, manifest: r.manifest,
        },
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
    output: {
      session_id: z.string(),
      duration_minutes: z.number(),
      files_created: z.number(),
      files_modified: z.number(),
      checkpoints: z.number(),
      rulemap_score: z.number().nullable(),
      archive: z.string().describe('The archived session folder, relative to the project root.'),
      backup: z.object({ path: z.string(), entries: z.number(), bytes: z.number() }).nullable(),
      summary_file: z.string(),
      tracking_file: z.string(),
      warnings: z.array(z.string()),
    },
    run: async (a) => {
      const r = await endSession({ cwd: projectDir(ctx, a.project_path), session: a.session_id, score: a.rulemap_score, backup: a.create_backup });
      const lines = [
        `Session completed: ${r.id} (${r.durationMinutes} minutes, ${r.filesCreated} created, ${r.filesModified} modified, ${r.checkpoints} checkpoints)`,
        `RULEMAP score: ${r.rulemapScore === null ? 'not given' : `${r.rulemapScore}/10`}`,
        `Backup: ${r.backup ? r.backup.path : 'skipped'}`,
        `Archived: ${r.archive}`,
        ...r.warnings.map((w) => `Warning: ${w}`),
      ];
      return {
        text: lines.join('\n'),
        data: {
          session_id: r.id, duration_minutes: r.durationMinutes, files_created: r.filesCreated, files_modified: r.filesModified,
          checkpoints: r.checkpoints, rulemap_score: r.rulemapScore, archive: r.archive,
          backup: r.backup ? { path: r.backup.path, entries: r.backup.entries, bytes: r.backup.bytes } : null,
          summary_file: r.summaryFile, tracking_file: r.trackingFile, warnings: r.warnings,
        },
      };
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
    output: {
      sessions: z.array(sessionSummary),
      problems: z.array(z.string()).describe('Sessions whose session.yaml could not be read, one sentence each.'),
    },
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await listSessions({ cwd: projectDir(ctx, a.project_path), all: a.include_archived });
      const what = a.include_archived ? 'sessions' : 'active sessions';
      const lines = r.sessions.length === 0
        ? [`No ${what}.`]
        : [`${r.sessions.length} ${what}:`, ...r.sessions.map((s) => `- ${s.id} (${s.status}, ${s.checkpoints} checkpoints): ${s.focus}`)];
      for (const p of r.problems) lines.push(`Problem: ${p}`);
      return { text: lines.join('\n'), data: { sessions: r.sessions.map(summaryOf), problems: r.problems } };
    },
  });

  addTool(server, ctx, 'session_show', {
    title: 'Show a session',
    description:
      "Everything recorded about one session: focus, agent, times, tracked artifacts, checkpoints and metrics (the " +
      "session.yaml document). Call it to pick up where a session left off.",
    input: { project_path: projectPath, session_id: sessionId },
    output: {
      session_id: z.string(),
      state: z.string().describe('active, archive or remote'),
      workspace: z.string(),
      git_ref: z.string(),
      ref_target: z.string().nullable().describe('The commit the session ref points at (null when it has no git side).'),
      artifacts: z.object({ created: z.array(z.string()), modified: z.array(z.string()) }),
      checkpoints: z.array(z.object({ checkpoint_id: z.string(), time: z.string(), description: z.string(), files: z.array(z.string()), commit: z.string().nullable() })),
      document: z.record(z.string(), z.unknown()).describe('The whole session.yaml, as JSON.'),
    },
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await showSession({ cwd: projectDir(ctx, a.project_path), session: a.session_id });
      const s = r.doc.session;
      const checkpoints = r.doc.checkpoints.map((c) => ({
        checkpoint_id: c.id, time: c.time, description: c.description, files: c.files_snapshot, commit: typeof c.commit === 'string' ? c.commit : null,
      }));
      const text = [
        `Session ${r.id} (${s.status}${r.state === 'archive' ? ', archived' : ''}): ${s.focus}`,
        `Agent ${s.agent}, started ${s.date} ${s.start_time}${s.end_time ? `, ended ${s.end_time}` : ''}`,
        `Artifacts: ${r.doc.artifacts.created.length} created, ${r.doc.artifacts.modified.length} modified`,
        `Checkpoints (${checkpoints.length}):`,
        ...checkpoints.map((c) => `- ${c.checkpoint_id} ${c.time} ${c.description.split('\n')[0]}`),
      ].join('\n');
      return {
        text,
        data: {
          session_id: r.id, state: r.state, workspace: r.workspace, git_ref: r.ref, ref_target: r.refTarget ?? null,
          artifacts: { created: r.doc.artifacts.created, modified: r.doc.artifacts.modified }, checkpoints,
          document: r.doc,
        },
      };
    },
  });
}
