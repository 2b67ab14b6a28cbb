import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { log } from '../../api/log.js';
import { logResult } from '../../api/contract/log.js';
import { diff } from '../../api/diff.js';
import { diffResult } from '../../api/contract/diff.js';
import { restoreCheckpoint } from '../../api/restore-checkpoint.js';
import { restoreCheckpointResult } from '../../api/contract/restore-checkpoint.js';
import { SpecmapError, isSpecmapError } from '../../shared/errors.js';
import { addTool, projectDir, projectPath, sessionId, type ServerContext } from './tool.js';

const checkpointRef = z
  .string()
  .min(1)
  .max(200)
  .describe('A checkpoint of the session: its id (checkpoint-002, or a unique prefix) or ~N for N before the newest (~0 is the newest).');

export function registerHistoryTools(server: McpServer, ctx: ServerContext): void {
  addTool(server, ctx, 'session_log', {
    title: 'Checkpoint history',
    description:
      "A session's checkpoints, newest first, like `git log`: id, time, description, files and commit. Call it to " +
      'find the checkpoint to compare with or go back to. Without session_id it lists every session, merged by time.',
    input: {
      project_path: projectPath,
      session_id: sessionId.optional(),
      max_count: z.number().int().min(1).max(10000).optional().describe('At most this many checkpoints.'),
      stat: z.boolean().optional().describe('Include a diffstat per checkpoint.'),
      patch: z.boolean().optional().describe('Include the full patch per checkpoint (can be long).'),
    },
    output: logResult.shape,
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await log({
        cwd: projectDir(ctx, a.project_path), session: a.session_id, all: a.session_id === undefined, limit: a.max_count, stat: a.stat, patch: a.patch,
      });
      const lines = r.checkpoints.length === 0
        ? ['No checkpoints yet.']
        : r.checkpoints.map((e) => `${e.commit ? e.commit.slice(0, 12) : '(no commit) '} ${e.session_id}:${e.checkpoint_id} ${e.date} ${e.time} ${e.description.split('\n')[0]}${e.stat ? `\n${e.stat.trimEnd()}` : ''}${e.patch ? `\n${e.patch.trimEnd()}` : ''}`);
      return { text: lines.join('\n'), data: r };
    },
  });

  addTool(server, ctx, 'session_diff', {
    title: 'Diff checkpoints',
    description:
      'What changed between two checkpoints of a session, or between a checkpoint and the files as they are now, ' +
      'as a unified diff. With no checkpoints given it shows what changed since the newest checkpoint.',
    input: {
      project_path: projectPath,
      session_id: sessionId,
      from: checkpointRef.default('~0'),
      to: checkpointRef.optional().describe('Another checkpoint; omitted, the working tree as a checkpoint would see it now.'),
      stat: z.boolean().optional().describe('Only a diffstat, not the full patch.'),
    },
    output: diffResult.shape,
    annotations: { readOnlyHint: true },
    run: async (a) => {
      const r = await diff({
        cwd: projectDir(ctx, a.project_path),
        from: { session: a.session_id, checkpoint: a.from },
        to: a.to === undefined ? undefined : { session: a.session_id, checkpoint: a.to },
        stat: a.stat,
      });
      const head = `${r.from.session_id}:${r.from.checkpoint_id} -> ${r.to ? `${r.to.session_id}:${r.to.checkpoint_id}` : 'working tree'}`;
      return { text: r.diff.trim() === '' ? `${head}: no changes` : `${head}\n${r.diff.trimEnd()}`, data: r };
    },
  });

  addTool(server, ctx, 'session_restore_checkpoint', {
    title: 'Restore a checkpoint',
    description:
      "Bring back the files of a checkpoint. By default they are written to a separate folder " +
      "(04-agents/sessions/active/<session>-<checkpoint>-restored/) " +
      'so nothing is overwritten; compare and copy from there. With in_place they replace the files in the working ' +
      'tree, after a safety checkpoint of the current state (the result says how to undo). Reads git first, and the ' +
      'session ZIP when the git objects are gone.',
    input: {
      project_path: projectPath,
      session_id: sessionId,
      checkpoint_id: checkpointRef,
      paths: z.array(z.string().min(1)).optional().describe('Only these files or folders, relative to the project root.'),
      in_place: z.boolean().optional().describe('Write into the working tree (after a safety checkpoint).'),
      force: z.boolean().optional().describe("Replace an existing '-restored' folder."),
    },
    output: restoreCheckpointResult.shape,
    annotations: { destructiveHint: true },
    run: async (a) => {
      const r = await restoreCheckpoint({
        cwd: projectDir(ctx, a.project_path), session: a.session_id, checkpoint: a.checkpoint_id, paths: a.paths, inPlace: a.in_place, force: a.force,
      }).catch((err: unknown) => {
        if (!isSpecmapError(err) || err.code !== 'CONFLICT' || err.details.kind !== 'exists') throw err;
        throw new SpecmapError(err.code, `${err.message} (pass force: true to replace it)`, err.details);
      });
      const lines = [
        `Restored ${r.session_id}:${r.checkpoint_id} from ${r.source} into ${r.destination === '.' ? 'the working tree' : r.destination} (${r.written.length} files)`,
      ];
      if (r.deleted.length > 0) lines.push(`Absent at that checkpoint: ${r.deleted.join(', ')}`);
      for (const x of r.skipped) lines.push(`Skipped: ${x}`);
      if (r.safety) lines.push(`Safety checkpoint: ${r.safety.session_id}:${r.safety.checkpoint_id}; undo with: ${r.safety.undo}`);
      return { text: lines.join('\n'), data: r };
    },
  });
}
