import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, benchEnv, specmap } from '../lib/exec.mjs';
import { workingCopy } from '../lib/repo-gen.mjs';
import { repeat, round } from '../lib/timing.mjs';

const sdk = (path) => import(pathToFileURL(join(ROOT, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', path)).href);

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Round trips of `session_list_active` through the SDK's own client and the stdio transport, p50 and p99. */
export async function mcpCase(ctx) {
  const { Client } = await sdk('client/index.js');
  const { StdioClientTransport } = await sdk('client/stdio.js');
  const dir = workingCopy('S', 'mcp', ctx.log);
  for (let i = 0; i < 3; i += 1) specmap(dir, ['start', `mcp bench ${i}`]);
  const calls = ctx.quick ? 100 : 500;

  const t0 = process.hrtime.bigint();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: dir, env: benchEnv() });
  const client = new Client({ name: 'specmap-bench', version: '1.0.0' });
  await client.connect(transport);
  const connectMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await client.listTools();

  const samples = [];
  for (let i = 0; i < 10 + calls; i += 1) {
    const t = process.hrtime.bigint();
    const r = await client.callTool({ name: 'session_list_active', arguments: {} });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.isError || r.structuredContent.sessions.length !== 3) throw new Error(`session_list_active answered ${JSON.stringify(r.content)}`);
    if (i >= 10) samples.push(ms);
  }
  await client.close();
  const cli = repeat({ warmup: 2, runs: ctx.quick ? 5 : 15, fn: () => specmap(dir, ['list']).ms });
  ctx.cleanup(dir);
  const stat = (label, id, xs, note) => ({
    id, label, specmap_ms: round(percentile(xs, 50)), p50_ms: round(percentile(xs, 50)), p99_ms: round(percentile(xs, 99)),
    baseline_ms: null, ratio: null, added_ms: null, target: null, pass: null, runs: xs.length, samples: { specmap: xs.map((x) => round(x, 2)) }, note,
  });
  return {
    key: 'mcp',
    title: 'MCP: session_list_active round trip',
    rows: [
      stat('session_list_active over stdio (3 active sessions, S)', 'mcp-list-active', samples),
      stat('for comparison: `specmap list` as a new process each time', 'mcp-cli-list', cli),
    ],
    extra: { connect_ms: round(connectMs) },
    note: `Starting the server and the MCP handshake took ${Math.round(connectMs)} ms, once per client session. `
      + 'A warm server answers without Node start-up or module loading, which every CLI call pays.',
  };
}
