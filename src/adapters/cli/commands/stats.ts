import { stats, type StatsResult } from '../../../api/stats.js';
import type { CommandContext } from '../output.js';
import { table } from '../table.js';

type Counts = { ai_lines: number; human_lines: number; ai_share: number | null; agents: Record<string, number> };

const share = (c: Counts) => (c.ai_share === null ? '-' : `${Math.round(c.ai_share * 100)}%`);
const agents = (c: Counts) => Object.entries(c.agents).sort(([, a], [, b]) => b - a).map(([name, n]) => `${name} ${n}`).join(', ') || '-';
const cells = (c: Counts) => [String(c.ai_lines), String(c.human_lines), share(c)];

export function renderStats(r: StatsResult): string {
  if (r.total.commits === 0) return `No attributed commits${r.since ? ` since ${r.since}` : ''} yet (commits made while a session is active get one).`;
  const t = r.total;
  return [
    `Lines written by agents: ${share(t)} (${t.ai_lines} of ${t.ai_lines + t.human_lines} lines added in ${t.commits} commit${t.commits === 1 ? '' : 's'}${r.since ? ` since ${r.since}` : ''}; ${agents(t)})`,
    '',
    table(['COMMIT', 'DATE', 'AI', 'HUMAN', 'AI %', 'SESSION', 'SUBJECT'],
      r.commits.map((c) => [c.commit.slice(0, 8), c.time.slice(0, 10), ...cells(c), c.session_id ?? '-', c.subject])),
    '',
    table(['SESSION', 'COMMITS', 'AI', 'HUMAN', 'AI %', 'AGENTS'], r.sessions.map((s) => [s.session_id, String(s.commits), ...cells(s), agents(s)])),
    '',
    table(['AI', 'HUMAN', 'AI %', 'FILE'], r.files.map((f) => [...cells(f), f.path])),
  ].join('\n');
}

export async function run(ctx: CommandContext, opts: { since?: string }): Promise<void> {
  ctx.out.result(await stats({ cwd: ctx.cwd, ...(opts.since !== undefined ? { since: opts.since } : {}) }), renderStats);
}
