import { pushSessions } from '../domain/remote/sync.js';
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
 * //     refs: [{ ref: 'refs/sessions/2025-10-25-session-001-auth', flag: '*', summary: '[new reference]' }, …] }
 */
export async function push(opts: PushOptions = {}): Promise<PushResult> {
  // 'open': the domain locks only while it collects the refs, never during the network push.
  return transaction(opts, 'open', async ({ project }) => {
    const r = await pushSessions(project, { remote: opts.remote, sessions: opts.sessions, allowSecrets: opts.allowSecrets, onProgress: opts.onProgress });
    return { remote: r.remote, session_ids: r.sessions, refs: r.refs.map((x) => ({ ref: x.ref, flag: x.flag, summary: x.summary })) };
  });
}
