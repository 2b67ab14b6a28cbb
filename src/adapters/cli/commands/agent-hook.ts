import { spawn } from 'node:child_process';
import { CLI_ENTRY } from '../../../shared/package-root.js';
import { settings } from '../../../shared/settings.js';
import { AGENT_ADAPTERS } from '../../hooks/agent-adapters.js';
import { runAgentHook } from '../../hooks/hook-runner.js';
import type { CommandContext } from '../output.js';

const MAX_EVENT_BYTES = 16 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_EVENT_BYTES) throw new Error('hook event larger than 16 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes the deferred session ZIP in a process that outlives the hook (agents kill slow session-end hooks). */
function completeBackupsDetached(cwd: string): void {
  const child = spawn(process.execPath, [CLI_ENTRY, '-C', cwd, 'complete-backups'], { detached: true, stdio: 'ignore' });
  child.unref();
}

/**
 * `specmap agent-hook [agent]`: one hook event of that agent (claude, codex, gemini, cursor, copilot) on stdin.
 * Always exits 0 — the agent must never be blocked by specmap — and prints on stdout only what the agent reads.
 */
export async function run(ctx: CommandContext, agentArg: string | undefined, opts: { agent?: string; event?: string }): Promise<void> {
  const name = agentArg ?? 'claude';
  const adapter = AGENT_ADAPTERS[name];
  if (!adapter) {
    process.stderr.write(`specmap: agent-hook: unknown agent ${JSON.stringify(name.slice(0, 40))}; known: ${Object.keys(AGENT_ADAPTERS).join(', ')}\n`);
    return;
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(await readStdin()) as Record<string, unknown>;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('not a JSON object');
  } catch (err) {
    process.stderr.write(`specmap: agent-hook: cannot read the hook event: ${(err as Error).message}\n`);
    return;
  }
  const { result, results, cwd, stdout } = await runAgentHook(adapter, payload, opts.agent ?? name, { hookEvent: opts.event, fallbackCwd: ctx.cwd });
  // SPECMAP_BACKGROUND=0: start nothing in the background; the next specmap command writes the ZIP instead.
  if (results.some((r) => r.backup_deferred) && settings().background) completeBackupsDetached(cwd ?? process.cwd());
  for (const r of results) if (r.note) process.stderr.write(`${r.note}\n`);
  if (ctx.out.json) {
    if (result) ctx.out.result(result, () => '');
  } else if (stdout !== undefined) process.stdout.write(`${stdout}\n`);
}
