import { relative } from 'node:path';
import { hooksStatus, type HooksStatusResult } from '../../../api/hooks-status.js';
import { installHooks, type HooksChangeResult } from '../../../api/install-hooks.js';
import { uninstallHooks } from '../../../api/uninstall-hooks.js';
import { SpecmapError } from '../../../shared/errors.js';
import { runManagedHook } from '../../hooks/git-hooks.js';
import { dryRunNote } from '../dry-run.js';
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

const PLANNED: Record<HooksChangeResult['changes'][number]['action'], string> = {
  installed: '➕ would install',
  updated: '🔁 would update',
  unchanged: '✓ already installed',
  chained: '➕ would install, keeping your existing hook (it runs first)',
  removed: '🗑  would remove',
  restored: '↩️  would remove, putting your original hook back',
  absent: '✓ not installed',
  skipped: '⏭  would leave alone',
};

type Dir = Omit<HooksStatusResult, 'worktrees'>;

const shown = (p: string) => relative(process.cwd(), p) || p;

function stateText(h: Dir['hooks'][number]): string {
  const notes = [
    h.chained ? 'chains your original hook' : '',
    h.tracked ? 'tracked by git' : '',
    h.state === 'managed' && h.manager_file ? `run through ${shown(h.manager_file)}` : '',
    h.set_aside ? `specmap's copy moved aside to ${shown(h.set_aside)}` : '',
  ].filter(Boolean);
  return `${h.state}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

function dirLines(s: Dir, label?: string): string[] {
  const lines = [`${label ? `${label}: ` : ''}Hooks folder: ${s.dir}${s.hooks_path ? ` (core.hooksPath = ${s.hooks_path})` : ''}`];
  if (s.manager) lines.push(`Hook manager: ${s.manager_detail ?? s.manager}`);
  for (const h of s.hooks) lines.push(`  ${h.name}: ${stateText(h)}`);
  for (const a of s.advice) lines.push(`👉 ${a}`);
  return lines;
}

export function renderStatus(s: HooksStatusResult): string {
  return [...dirLines(s), ...s.worktrees.flatMap((w) => dirLines(w, `Worktree ${w.root}`))].join('\n');
}

function changeLines(r: Dir & { changes: HooksChangeResult['changes'] }, dryRun: boolean): string[] {
  const text = dryRun ? PLANNED : ACTION_TEXT;
  const lines = r.changes.map((c) => `${text[c.action]}: ${shown(r.hooks.find((h) => h.name === c.name)!.path) || c.name}`);
  for (const a of r.advice) lines.push(`👉 ${a}`);
  return lines;
}

export function renderChange(r: HooksChangeResult): string {
  const dry = r.dry_run === true;
  return [
    ...(r.manager ? [`Hook manager: ${r.manager_detail ?? r.manager}`] : []),
    ...changeLines(r, dry),
    ...r.worktrees.flatMap((w) => [`Worktree ${w.root} (hooks folder ${w.dir}):`, ...changeLines(w, dry)]),
    ...dryRunNote(r),
  ].join('\n');
}

export async function run(ctx: CommandContext, action: string, opts: { dryRun?: boolean } = {}): Promise<void> {
  if (action === 'install') ctx.out.result(await installHooks({ cwd: ctx.cwd, dryRun: opts.dryRun }), renderChange);
  else if (action === 'uninstall') ctx.out.result(await uninstallHooks({ cwd: ctx.cwd, dryRun: opts.dryRun }), renderChange);
  else if (action === 'status') ctx.out.result(await hooksStatus({ cwd: ctx.cwd }), renderStatus);
  else throw new SpecmapError('USAGE', `hooks takes install, uninstall or status, not ${JSON.stringify(action)}`);
}

/** `specmap hook <name>`: the same work as the shims, for hook managers (husky, lefthook) that call a command. */
export async function runHook(ctx: CommandContext, name: string, arg?: unknown): Promise<void> {
  if (name !== 'pre-commit' && name !== 'post-commit' && name !== 'pre-push' && name !== 'post-rewrite' && name !== 'post-merge') {
    throw new SpecmapError('USAGE', `hook takes pre-commit, post-commit, pre-push, post-rewrite or post-merge, not ${JSON.stringify(name)}`);
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
