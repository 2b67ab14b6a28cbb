import { resolve } from 'node:path';
import { createSpecmapServer } from '../../mcp/server.js';
import { LineStdioTransport } from '../../mcp/stdio-transport.js';
import type { CommandContext } from '../output.js';
import { version } from '../version.js';

/** Serves until the client closes the connection. stdout carries protocol messages only, so console output goes to stderr. */
export async function run(ctx: CommandContext): Promise<void> {
  console.log = console.error;
  console.info = console.error;
  const server = createSpecmapServer({ version: version(), cwd: resolve(ctx.cwd ?? process.cwd()) });
  const closed = new Promise<void>((done) => {
    server.server.onclose = done;
    // The stdio transport does not notice end of input by itself; a client that closes our stdin has gone.
    process.stdin.once('end', done);
  });
  await server.connect(new LineStdioTransport());
  await closed;
  await server.close();
}
