import { pathToFileURL } from 'node:url';
import { afterEach, expect } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI } from './cli.js';

export interface Connection {
  client: Client;
  stderr: () => string;
  protocolErrors: Error[];
}

const open: Client[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/**
 * Spawns the built `specmap mcp` and connects the SDK's own client to it over stdio; `roots` are the folders the
 * client declares (MCP roots), which the server lets a project_path reach besides its own folder.
 */
export async function connect(cwd: string, env: NodeJS.ProcessEnv, roots: string[] = []): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    cwd,
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const protocolErrors: Error[] = [];
  const client = new Client({ name: 'specmap-test', version: '1.0.0' }, roots.length > 0 ? { capabilities: { roots: {} } } : {});
  if (roots.length > 0) client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map((r) => ({ uri: pathToFileURL(r).href })) }));
  client.onerror = (e) => protocolErrors.push(e);
  await client.connect(transport);
  open.push(client);
  // Listing caches the output schemas, so every later call's structured content is validated against them.
  await client.listTools();
  return { client, stderr: () => stderr, protocolErrors };
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A call that must succeed: its structured content. */
export async function okCall(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  expect(r.content[0]).toMatchObject({ type: 'text' });
  return r.structuredContent;
}

/** A call that must fail: its one sentence (never a stack trace). */
export function errorText(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  const first = r.content[0] as { type: string; text: string };
  expect(first.type).toBe('text');
  expect(first.text).not.toMatch(/\n\s+at /);
  expect(first.text.split('\n')).toHaveLength(1);
  return first.text;
}
