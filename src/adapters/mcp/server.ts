import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { session_start } from './tools/session_start.js';
import { session_checkpoint } from './tools/session_checkpoint.js';
import { session_track_artifact } from './tools/session_track_artifact.js';
import { session_end } from './tools/session_end.js';
import { session_list_active } from './tools/session_list_active.js';
import { session_show } from './tools/session_show.js';
import { session_log } from './tools/session_log.js';
import { session_diff } from './tools/session_diff.js';
import { session_restore_checkpoint } from './tools/session_restore_checkpoint.js';
import { create_daily_backup } from './tools/create_daily_backup.js';
import { backup_list } from './tools/backup_list.js';
import { backup_verify } from './tools/backup_verify.js';
import { session_fork } from './tools/session_fork.js';
import { session_compare } from './tools/session_compare.js';
import { backup_offsite_push } from './tools/backup_offsite_push.js';
import { backup_offsite_pull } from './tools/backup_offsite_pull.js';
import { backup_offsite_list } from './tools/backup_offsite_list.js';
import { backup_offsite_verify } from './tools/backup_offsite_verify.js';
import { disk_usage } from './tools/disk_usage.js';
import { gc } from './tools/gc.js';
import { attribution_blame } from './tools/attribution_blame.js';
import { attribution_stats } from './tools/attribution_stats.js';
import { create_milestone_backup } from './tools/create_milestone_backup.js';
import { project_doctor } from './tools/project_doctor.js';
import type { z } from 'zod';
import { addTool, type ServerContext, type ToolDefinition } from './tool.js';
import { rememberRepositories } from '../../api/transaction.js';

/** Every tool, in the order a model sees them listed: one file each under tools/, named after the tool. */
const TOOLS = [
  session_start, session_checkpoint, session_track_artifact, session_end, session_list_active, session_show, session_log, session_diff,
  session_restore_checkpoint, session_fork, session_compare,
  create_daily_backup, create_milestone_backup, backup_list, backup_verify, backup_offsite_push, backup_offsite_pull, backup_offsite_list, backup_offsite_verify,
  disk_usage, gc, attribution_blame, attribution_stats, project_doctor,
] as const;

const INSTRUCTIONS =
  'specmap keeps organised, recoverable work sessions in a git project. Typical use: session_list_active to find ' +
  'or resume a session, else session_start; session_track_artifact after writing files; session_checkpoint after ' +
  'each working step; session_log / session_diff / session_restore_checkpoint to look back or undo; session_end ' +
  'when the task is done; session_fork and session_compare to try approaches side by side. Paths are relative to the project root; project_path defaults to the server\'s folder.';

/** The MCP server: every tool is a thin adapter over one api verb, as the CLI commands are. */
export function createSpecmapServer(opts: { version: string; cwd?: string; log?: (line: string) => void }): McpServer {
  // A server answers many calls for the same few folders: ask git where their repositories are once.
  rememberRepositories();
  const server = new McpServer({ name: 'specmap', version: opts.version }, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
  const ctx: ServerContext = {
    cwd: opts.cwd ?? process.cwd(),
    log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    // Asked per call (a client may change its roots); only of a client that declares the capability.
    roots: async () => {
      if (!server.server.getClientCapabilities()?.roots) return [];
      const { roots } = await server.server.listRoots();
      return roots.flatMap((r) => (r.uri.startsWith('file://') ? [fileURLToPath(r.uri)] : []));
    },
  };
  // Each definition is typed by its own schemas; registering only needs the common shape.
  for (const tool of TOOLS as readonly ToolDefinition<z.ZodRawShape, z.ZodRawShape>[]) addTool(server, ctx, tool);
  return server;
}
