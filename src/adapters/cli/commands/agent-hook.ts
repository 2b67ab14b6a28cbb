import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { settings } from '../../../shared/settings.js';
import { handleClaudeEvent, type ClaudeHookEvent } from '../../hooks/claude-code.js';
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

/** Writes the deferred session ZIP in a process that outlives the hook (Claude Code kills slow SessionEnd hooks). */
function completeBackupsDetached(cwd: string): void {
  const main = fileURLToPath(new URL('../../../bin/specmap.js', import.meta.url));
  const child = spawn(process.execPath, [main, '-C', cwd, 'complete-backups'], { detached: true, stdio: 'ignore' });
  child.unref();
}

/**
 * `specmap agent-hook`: one Claude Code hook event on stdin. Always exits 0 — the agent must never be blocked by
 * specmap — and prints on stdout only what Claude Code reads (SessionStart's additional context).
 */
export async function run(ctx: CommandContext, opts: { agent?: string }): Promise<void> {
  let payload: ClaudeHookEvent;
  try {
    payload = JSON.parse(await readStdin()) as ClaudeHookEvent;
    if (typeof payload !== 'object' || payload === null) throw new Error('not a JSON object');
  } catch (err) {
    process.stderr.write(`specmap: agent-hook: cannot read the hook event: ${(err as Error).message}\n`);
    return;
  }
  const { result, cwd, stdout } = await handleClaudeEvent(payload, opts.agent ?? 'claude', ctx.cwd);
  // SPECMAP_BACKGROUND=0: start nothing in the background; the next specmap command writes the ZIP instead.
  if (result.backup_deferred && settings().background) completeBackupsDetached(cwd ?? process.cwd());
  if (result.note) process.stderr.write(`${result.note}\n`);
  if (ctx.out.json) ctx.out.result(result, () => '');
  else if (stdout) process.stdout.write(`${stdout}\n`);
}
