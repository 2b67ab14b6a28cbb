import { completeBackups, type CompleteBackupsResult } from '../../../api/complete-backups.js';
import type { CommandContext } from '../output.js';

export function renderCompleted(r: CompleteBackupsResult): string {
  return r.backups.length === 0 ? 'No session backups were owed.' : r.backups.map((b) => `📦 ${b.path}`).join('\n');
}

export async function run(ctx: CommandContext): Promise<void> {
  ctx.out.result(await completeBackups({ cwd: ctx.cwd }), renderCompleted);
}
