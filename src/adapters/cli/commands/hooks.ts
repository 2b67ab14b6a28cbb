import { relative } from 'node:path';
import { hooksStatus, type HooksStatusResult } from '../../../api/hooks-status.js';
import { installHooks, type HooksChangeResult } from '../../../api/install-hooks.js';
import { uninstallHooks } from '../../../api/uninstall-hooks.js';
import { SpecmapError } from '../../../shared/errors.js';
import { runManagedHook } from '../../hooks/git-hooks.js';
import type { CommandContext } from '../output.js';

const ACTION_TEXT: Record<HooksChangeResult['changes'][number]['action'], string> = {
  installed: '✅ installed',
  updated: '✅ updated',
  unchanged: '✓ already installed',
  chained: '✅ installed; your existing hook was kept and runs first',
  removed: '🗑  removed',
  restored: '↩️  removed; your original hook is back',
  absent: '✓ not installed',
  skipped: '⏭  left alone',
};

export function renderStatus(s: HooksStatusResult): string {
  const lines = [`Hooks folder: ${s.dir}${s.hooks_path ? ` (core.hooksPath = ${s.hooks_path})` : ''}`];
  if (s.manager) lines.push(`Hook manager: ${s.manager}`);
  for (const h of s.hooks) lines.push(`  ${h.name}: ${h.state}${h.chained ? ' (chains your original hook)' : ''}`);
  for (const a of s.advice) lines.push(`👉 ${a}`);
  return lines.join('\n');
}

export function renderChange(r: HooksChangeResult): string {
  const lines = r.changes.map((c) => `${ACTION_TEXT[c.action]}: ${relative(process.cwd(), r.hooks.find((h) => h.name === c.name)!.path) || c.name}`);
  for (const a of r.advice) lines.push(`👉 ${a}`);
  return lines.join('\n');
}

export async function run(ctx: CommandContext, action: string): Promise<void> {
  if (action === 'install') ctx.out.result(await installHooks({ cwd: ctx.cwd }), renderChange);
  else if (action === 'uninstall') ctx.out.result(await uninstallHooks({ cwd: ctx.cwd }), renderChange);
  else if (action === 'status') ctx.out.result(await hooksStatus({ cwd: ctx.cwd }), renderStatus);
  else throw new SpecmapError('USAGE', `hooks takes install, uninstall or status, not ${JSON.stringify(action)}`);
}

/** `specmap hook <name>`: the same work as the shims, for hook managers (husky, lefthook) that call a command. */
export async function runHook(ctx: CommandContext, name: string, arg?: unknown): Promise<void> {
  if (name !== 'pre-commit' && name !== 'post-commit' && name !== 'pre-push' && name !== 'post-rewrite') {
    throw new SpecmapError('USAGE', `hook takes pre-commit, post-commit, pre-push or post-rewrite, not ${JSON.stringify(name)}`);
  }
  const stdin = name === 'pre-push' || name === 'post-rewrite' ? await readAll(process.stdin) : undefined;
  const r = await runManagedHook(name, ctx.cwd, stdin, typeof arg === 'string' ? arg : undefined);
  process.exitCode = r.refuse ? 1 : 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
