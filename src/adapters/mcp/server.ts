import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerSessionTools } from './session-tools.js';
import { registerHistoryTools } from './history-tools.js';
import { registerBackupTools } from './backup-tools.js';
import type { ServerContext } from './tool.js';

const INSTRUCTIONS =
  'specmap keeps organised, recoverable work sessions in a git project. Typical use: session_list_active to find ' +
  'or resume a session, else session_start; session_track_artifact after writing files; session_checkpoint after ' +
  'each working step; session_log / session_diff / session_restore_checkpoint to look back or undo; session_end ' +
  'when the task is done. Paths are relative to the project root; project_path defaults to the server\'s folder.';

/** The MCP server: every tool is a thin adapter over the core library, as the CLI commands are. */
export function createSpecmapServer(opts: { version: string; cwd?: string; log?: (line: string) => void }): McpServer {
  const ctx: ServerContext = {
    cwd: opts.cwd ?? process.cwd(),
    log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const server = new McpServer({ name: 'specmap', version: opts.version }, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
  registerSessionTools(server, ctx);
  registerHistoryTools(server, ctx);
  registerBackupTools(server, ctx);
  return server;
}
