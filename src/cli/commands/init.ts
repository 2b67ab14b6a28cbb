import { init, type InitResult } from '../../core/init.js';
import type { CommandContext } from '../output.js';

export function renderInit(r: InitResult): string {
  const lines = [`✅ specmap initialised in ${r.root}`];
  for (const d of r.createdDirs) lines.push(`📁 created ${d}/`);
  if (r.createdDirs.length === 0) lines.push('📁 layout already present');
  if (r.gitignoreUpdated) lines.push('🙈 added /04-agents/backups/ to .gitignore (ZIP backups stay out of history)');
  return lines.join('\n');
}

export async function run(ctx: CommandContext): Promise<void> {
  ctx.out.result(await init({ cwd: ctx.cwd }), renderInit);
}
