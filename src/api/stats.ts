import { attributionStats, type LineCounts } from '../domain/attribution/stats.js';
import { checkSince } from '../domain/report/report.js';
import type { StatsResult } from './contract/stats.js';
import { transaction, type ProjectOptions } from './transaction.js';

export type { StatsResult } from './contract/stats.js';

export interface StatsOptions extends ProjectOptions {
  /** Only commits from this local date (YYYY-MM-DD) on. */
  since?: string;
}

const counts = (c: LineCounts) => ({
  ai_lines: c.ai,
  human_lines: c.human,
  ai_share: c.ai + c.human === 0 ? null : Math.round((c.ai / (c.ai + c.human)) * 1000) / 1000,
  agents: c.agents,
});

/**
 * The share of lines agents wrote, per commit, per session and per file, from the Agent Trace notes
 * (refs/notes/specmap) of the commits in HEAD's history. Queued commits are recorded first.
 *
 * @example
 * await stats({ cwd: '/repo', since: '2025-10-01' });
 * // → { since: '2025-10-01', total: { commits: 3, ai_lines: 120, human_lines: 40, ai_share: 0.75, agents: { claude: 120 } }, commits: […], sessions: […], files: […] }
 */
export async function stats(opts: StatsOptions = {}): Promise<StatsResult> {
  const since = checkSince(opts.since);
  return transaction(opts, 'read', async ({ project }) => {
    const s = await attributionStats(project, { ...(since ? { since } : {}) });
    return {
      since: s.since ?? null,
      total: { commits: s.total.commits, ...counts(s.total) },
      commits: s.commits.map((c) => ({ commit: c.commit, time: new Date(c.time * 1000).toISOString(), subject: c.subject, session_id: c.session ?? null, ...counts(c) })),
      sessions: s.sessions.map((x) => ({ session_id: x.session, commits: x.commits, ...counts(x) })),
      files: s.files.map((f) => ({ path: f.path, ...counts(f) })),
    };
  });
}
