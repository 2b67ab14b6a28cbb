import { completePendingBackups } from '../../../domain/backup/session-backup.js';
import type { CommandContext } from '../output.js';

export async function run(ctx: CommandContext): Promise<void> {
  const done = await completePendingBackups({ cwd: ctx.cwd });
  ctx.out.result(done, (d) => (d.length === 0 ? 'No session backups were owed.' : d.map((b) => `📦 ${b.path}`).join('\n')));
}
