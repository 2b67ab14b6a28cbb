import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, benchEnv, sh, specmap, specmapJson } from '../lib/exec.mjs';
import { applyChanges, workingCopy } from '../lib/repo-gen.mjs';
import { GROUPS, interleaveAsync, repeat, round, row, targets } from '../lib/timing.mjs';
import { BASELINE_SNAPSHOT } from './checkpoint.mjs';

const sdk = (path) => import(pathToFileURL(join(ROOT, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', path)).href);

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const since = (t) => Number(process.hrtime.bigint() - t) / 1e6;

/**
 * A long-lived `specmap mcp` server driven by the MCP SDK's own client over stdio, as an agent runs it:
 * `session_checkpoint` with 1 changed file at M against the plumbing snapshot and the CLI (issue 19: ≤ 1.15×
 * plumbing), and `session_list_active` round trips (p50, p99) against `specmap list` as a new process.
 */
export async function mcpCase(ctx) {
  const { Client } = await sdk('client/index.js');
  const { StdioClientTransport } = await sdk('client/stdio.js');
  const size = ctx.quick ? 'S' : 'M';
  const dir = workingCopy(size, 'mcp', ctx.log);
  for (let i = 0; i < 3; i += 1) specmap(dir, ['start', `mcp bench ${i}`]);
  const session = specmapJson(dir, ['start', 'mcp checkpoints']).session_id;
  const cliSession = specmapJson(dir, ['start', 'cli checkpoints']).session_id;
  const calls = ctx.quick ? 50 : 500;

  const t0 = process.hrtime.bigint();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: dir, env: benchEnv() });
  const client = new Client({ name: 'specmap-bench', version: '1.0.0' });
  await client.connect(transport);
  const connectMs = since(t0);
  try {
    return await measure();
  } finally {
    await client.close();
  }

  // The server stays up for every call below; closing it (even after a failure) lets the harness exit.
  async function measure() {
    await client.listTools();

    const list = [];
    for (let i = 0; i < 10 + calls; i += 1) {
      const t = process.hrtime.bigint();
      const r = await client.callTool({ name: 'session_list_active', arguments: {} });
      const ms = since(t);
      if (r.isError || r.structuredContent.sessions.length !== 5) throw new Error(`session_list_active answered ${JSON.stringify(r.content)}`);
      if (i >= 10) list.push(ms);
    }

    // Every specmap side gets its own fresh change (a checkpoint consumes it); the plumbing's temporary index does not.
    const change = (i) => applyChanges(dir, size, 1, i, { tag: '-mcp' });
    const runs = ctx.quick ? 3 : 15;
    const cp = await interleaveAsync({
      warmup: 2,
      runs,
      sides: {
        mcp: {
          prep: change,
          fn: async (i) => {
            const t = process.hrtime.bigint();
            const r = await client.callTool({ name: 'session_checkpoint', arguments: { session_id: session, description: `mcp round ${i}` } });
            const ms = since(t);
            if (r.isError || !r.structuredContent.files.some((f) => f.path.startsWith('src/'))) throw new Error(`session_checkpoint answered ${JSON.stringify(r.content).slice(0, 500)}`);
            return ms;
          },
        },
        cli: { prep: change, fn: (i) => specmap(dir, ['checkpoint', cliSession, `cli round ${i}`]).ms },
        plumbing: { prep: change, fn: () => sh(dir, BASELINE_SNAPSHOT).ms },
      },
    });
    const cli = repeat({ warmup: 2, runs: ctx.quick ? 5 : 15, fn: () => specmap(dir, ['list']).ms });
    ctx.cleanup(dir);
    const stat = (label, id, xs, note) => ({
      id, label, specmap_ms: round(percentile(xs, 50)), p50_ms: round(percentile(xs, 50)), p99_ms: round(percentile(xs, 99)),
      baseline_ms: null, ratio: null, added_ms: null, target: null, pass: null, runs: xs.length, samples: { specmap: xs.map((x) => round(x, 2)) }, note,
    });
    return {
      key: 'mcp',
      title: 'MCP: a long-lived server over stdio',
      rows: [
        row({ id: 'mcp-checkpoint', label: `session_checkpoint, 1 changed file (${size}) vs plumbing`, a: cp.mcp, b: cp.plumbing, ...targets.ratio(1.15, 'plumbing', GROUPS.mcp), extra: { p99_ms: round(percentile(cp.mcp, 99)) } }),
        row({ id: 'mcp-cli-checkpoint', label: `for comparison: specmap checkpoint as a new process (${size}) vs plumbing`, a: cp.cli, b: cp.plumbing }),
        stat(`session_list_active over stdio (5 active sessions, ${size})`, 'mcp-list-active', list),
        stat('for comparison: `specmap list` as a new process each time', 'mcp-cli-list', cli),
      ],
      extra: { connect_ms: round(connectMs) },
      note: `Starting the server and the MCP handshake took ${Math.round(connectMs)} ms, once per client session. `
        + 'A warm server answers without Node start-up or module loading, which every CLI call pays. The checkpoint rows '
        + `run in the same rounds (rotating order, median of ${runs}), each specmap side with its own freshly changed file.`,
    };
  }
}
