import { pushSessions } from '../domain/remote/sync.js';
import { withScratchObjects } from '../storage/git/scratch-objects.js';
import { settleWork } from '../domain/project/settle.js';
import type { PushResult } from './contract/push.js';
import { transaction, type ProjectOptions } from './transaction.js';
import type { ProgressFn } from './backup-progress.js';

export type { PushResult } from './contract/push.js';

export interface PushOptions extends ProjectOptions {
  /** The remote (default: the current branch's upstream, else origin). A session id here is taken as a session. */
  remote?: string;
  /** Session ids or unique prefixes; none pushes every local session, the backup refs and milestone tags. */
  sessions?: string[];
  /** Push even when what would be published looks like secrets (SECRETS_FOUND otherwise). */
  allowSecrets?: boolean;
  /**
   * Everything the push does short of changing anything: the same refs and metadata commits (made in a throwaway
   * object store), the same secrets check (SECRETS_FOUND) and `git push --dry-run` for the remote's answer
   * (CONFLICT for a rejection). `refs` is git's report of what it would do (`dry_run: true`).
   */
  dryRun?: boolean;
  /** Told how far git's push is (with `--progress`: its steps, objects and bytes). */
  onProgress?: ProgressFn;
}

/**
 * Pushes sessions (refs, checkpoint tags, metadata commits), never forced and atomic: a rejected ref means nothing
 * was pushed (CONFLICT; details.rejected lists the refs, the message says whether to renumber or pull). What it
 * would publish is checked first: a file named like a secret, or text holding a documented key format or a private
 * key, refuses the push (SECRETS_FOUND; details.findings) unless `allowSecrets`.
 *
 * @example
 * await push({ cwd: '/repo', remote: 'origin' });
 * // → { remote: 'origin', session_ids: ['2025-10-25-session-001-auth'],
 * //     refs: [{ ref: 'refs/sessions/2025-10-25-session-001-auth', flag: '*', summary: '[new reference]' }, …],
 * //     meta_updates: [{ ref: 'refs/specmap/meta/2025-10-25-session-001-auth', from: null, to: '7d3e…' }] }
 */
export async function push(opts: PushOptions = {}): Promise<PushResult> {
  // 'open': the domain locks only while it collects the refs, never during the network push.
  return transaction(opts, 'open', async ({ project }) => {
    const run = () => pushSessions(project, { remote: opts.remote, sessions: opts.sessions, allowSecrets: opts.allowSecrets, dryRun: opts.dryRun, onProgress: opts.onProgress });
    const r = opts.dryRun ? await withScratchObjects(project.git, run) : await run();
    const result: PushResult = {
      remote: r.remote,
      session_ids: r.sessions,
      refs: r.refs.map((x) => ({ ref: x.ref, flag: x.flag, summary: x.summary })),
      meta_updates: r.metaUpdates,
    };
    return opts.dryRun ? { ...result, dry_run: true, queued_work: settleWork(project) } : result;
  });
}
