import { listSessions, type ListSessionsResult } from '../../../api/list-sessions.js';
import { EXIT_CODES, SpecmapError } from '../../../shared/errors.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';
import { count } from '../units.js';

export function renderList(r: ListSessionsResult, all = false): string {
  if (r.sessions.length === 0) {
    return all ? 'No sessions yet. Start one with: specmap start "<focus>"' : 'No active sessions. Start one with: specmap start "<focus>"';
  }
  const rows = r.sessions.map((s) => [
    s.remote ? `${s.remote}/${s.session_id}` : s.session_id,
    s.status,
    `${s.date} ${s.start_time}`,
    String(s.checkpoints),
    String(s.files_created),
    String(s.files_modified),
    s.rulemap_score === null ? '-' : String(s.rulemap_score),
  ]);
  return table(['SESSION', 'STATUS', 'STARTED', 'CHECKPOINTS', 'CREATED', 'MODIFIED', 'RULEMAP'], rows);
}

export async function run(ctx: CommandContext, opts: { all?: boolean; remote?: boolean | string; user?: string }): Promise<void> {
  const result = await listSessions({ cwd: ctx.cwd, all: opts.all, remote: opts.remote, user: opts.user });
  for (const p of result.problems) ctx.out.warn(p);
  ctx.out.result(result, (r) => renderList(r, opts.all));
  // The listing is printed either way; the exit status says some of it is missing.
  if (result.problems.length > 0) {
    // Under --json the problems are in the result, which stays the one JSON document on stdout.
    if (ctx.out.json) {
      process.exitCode = EXIT_CODES.CORRUPT_DATA;
      return;
    }
    throw new SpecmapError('CORRUPT_DATA', `${count(result.problems.length, 'session file')} could not be read (see above)`, { kind: 'unreadable-sessions' });
  }
}
