import { SpecmapError } from '../../../shared/errors.js';
import { start, type StartResult } from '../../../api/start.js';
import type { CommandContext } from '../output.js';

export function renderStart(r: StartResult): string {
  const lines: string[] = [];
  if (r.initialized.length > 0) lines.push('📂 Initialised the 04-agents/ layout');
  lines.push(
    `✅ Session started: ${r.session_id}`,
    `📁 Workspace: ${r.workspace}`,
    `🎯 Focus: ${r.focus}`,
    `🤖 Agent: ${r.agent}`,
    `🔖 Git ref: ${r.git_ref} -> ${r.base_commit.slice(0, 12)}${r.empty_base ? ' (empty base: the repository has no commits yet)' : ''}`,
  );
  return lines.join('\n');
}

function parseMeta(pairs: string[] = []): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SpecmapError('USAGE', `--meta takes key=value, got ${JSON.stringify(pair.slice(0, 80))}`);
    meta[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return meta;
}

export async function run(ctx: CommandContext, focus: string, agent: string, opts: { meta?: string[]; template?: string }): Promise<void> {
  const result = await start({ cwd: ctx.cwd, focus, agent, metadata: parseMeta(opts.meta), template: opts.template });
  ctx.out.result(result, renderStart);
}
