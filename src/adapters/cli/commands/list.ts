import { listProblemsError, listSessions, type ListResult } from '../../../domain/session/list.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';

export function renderList(r: ListResult, all = false): string {
  if (r.sessions.length === 0) {
    return all ? 'No sessions yet. Start one with: specmap start "<focus>"' : 'No active sessions. Start one with: specmap start "<focus>"';
  }
  const rows = r.sessions.map((s) => [
    s.remote ? `${s.remote}/${s.id}` : s.id,
    s.status,
    `${s.date} ${s.startTime}`,
    String(s.checkpoints),
    String(s.filesCreated),
    String(s.filesModified),
    s.rulemapScore === null ? '-' : String(s.rulemapScore),
  ]);
  return table(['SESSION', 'STATUS', 'STARTED', 'CHECKPOINTS', 'CREATED', 'MODIFIED', 'RULEMAP'], rows);
}

export async function run(ctx: CommandContext, opts: { all?: boolean; remote?: boolean | string; user?: string }): Promise<void> {
  const result = await listSessions({ cwd: ctx.cwd, all: opts.all, remote: opts.remote, user: opts.user });
  for (const p of result.problems) ctx.out.warn(p);
  ctx.out.result(result, (r) => renderList(r, opts.all));
  if (result.problems.length > 0) throw listProblemsError(result.problems);
}
