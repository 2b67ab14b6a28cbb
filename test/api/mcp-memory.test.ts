import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSpecmapServer } from '../../src/adapters/mcp/server.js';
import { makeRepo, type TestRepo } from '../support/repo.js';

// The server runs in this process, so git and specmap read this process's environment: isolate it.
const PINNED: Record<string, string> = { SPECMAP_NOW: '2025-10-25T14:30:00', SPECMAP_BACKGROUND: '0', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
const saved: Record<string, string | undefined> = {};
let repo: TestRepo;

beforeAll(() => {
  repo = makeRepo();
  for (const [k, v] of Object.entries({ ...PINNED, GIT_CONFIG_GLOBAL: join(repo.home, '.gitconfig') })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const open: Client[] = [];
const logged: string[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** A real SDK client linked to the server in memory; listing the tools makes the client validate every result. */
async function connect(): Promise<{ client: Client; tools: Tool[] }> {
  const server = createSpecmapServer({ version: '0.0.0-test', cwd: repo.dir, log: (line) => logged.push(line) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'specmap-memory-test', version: '1.0.0' });
  await client.connect(clientSide);
  open.push(client);
  const { tools } = await client.listTools();
  return { client, tools };
}

const validator = new AjvJsonSchemaValidator();

/** Our own check, besides the client's: the result matches the output schema the tool advertises. */
function expectMatchesSchema(tool: Tool | undefined, data: unknown): void {
  expect(tool?.outputSchema).toBeDefined();
  const result = validator.getValidator(tool!.outputSchema as never)(data);
  expect(result.valid, JSON.stringify(result)).toBe(true);
}

async function ok(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  expect(r.structuredContent).toBeDefined();
  return r.structuredContent!;
}

describe('the MCP server in process (InMemoryTransport)', () => {
  it('lists tools that each have a description and input and output schemas', async () => {
    const { tools } = await connect();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['session_start', 'session_track_artifact', 'session_list_active']));
    expect(new Set(names).size).toBe(names.length);
    for (const t of tools) {
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, `${t.name} has an output schema`).toBe('object');
    }
  });

  it('starts a session, tracks a file and lists the session, each result valid against its tool\'s schema', async () => {
    const { client, tools } = await connect();
    const tool = (name: string) => tools.find((t) => t.name === name);

    const started = await ok(client, 'session_start', { focus: 'memory test' });
    expectMatchesSchema(tool('session_start'), started);
    const id = started.session_id as string;
    expect(id).toBe('2025-10-25-session-001-memory-test');

    repo.write('src/new.js', 'export const x = 1;\n');
    const tracked = await ok(client, 'session_track_artifact', { session_id: id, file_path: 'src/new.js', action: 'created' });
    expectMatchesSchema(tool('session_track_artifact'), tracked);
    expect(tracked).toMatchObject({ session_id: id, file_path: 'src/new.js', listed_as: 'created', changed: true });

    // Tracking the same file again changes nothing; a "modified" report of a created file keeps it "created".
    const again = await ok(client, 'session_track_artifact', { session_id: id, file_path: join(repo.dir, 'src/new.js'), action: 'modified' });
    expect(again).toMatchObject({ session_id: id, file_path: 'src/new.js', listed_as: 'created', changed: false });

    const listed = await ok(client, 'session_list_active', {});
    expectMatchesSchema(tool('session_list_active'), listed);
    expect(JSON.stringify(listed)).toContain(`"${id}"`);
  });

  it('a schema check that can fail: a result with a wrong field type is rejected', async () => {
    const { tools } = await connect();
    const schema = tools.find((t) => t.name === 'session_track_artifact')!.outputSchema!;
    const check = validator.getValidator(schema as never);
    expect(check({ session_id: 'x', file_path: 'a', action: 'created', listed_as: 'created', changed: true }).valid).toBe(true);
    expect(check({ session_id: 'x', file_path: 'a', action: 'created', listed_as: 'created', changed: 'yes' }).valid).toBe(false);
  });

  it('answers a failing call with isError and the error code in _meta, and keeps serving', async () => {
    const { client } = await connect();
    const r = (await client.callTool({
      name: 'session_track_artifact',
      arguments: { session_id: '2099-01-01-session-999-nope', file_path: 'README.md', action: 'modified' },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(r._meta?.['specmap/code']).toBe('SESSION_NOT_FOUND');
    expect((r.content[0] as { text: string }).text.split('\n')).toHaveLength(1);

    const outside = (await client.callTool({ name: 'session_start', arguments: { focus: 'x', project_path: '/' } })) as CallToolResult;
    expect(outside.isError).toBe(true);
    expect(outside._meta?.['specmap/code']).toBe('PATH_OUTSIDE_PROJECT'); // a model may not open any folder on disk

    expect(logged).toEqual([]); // known failures are not bugs: nothing goes to the server's log
    await ok(client, 'session_list_active', {});
  });
});
