import { existsSync, renameSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { checkpointTagName, sessionRefName, sessionRelDir, abs } from '../../shared/layout.js';
import { checkpointMessage } from '../checkpoint/records.js';
import { withProjectLock, type Project } from '../project/project.js';
import { REMOTE_META_PREFIX, listRemoteSessions, metaRefName, readRemoteSessionDoc, writeMetaCommit } from './remote-sessions.js';
import { listSessionHandles, loadSession, resolveSession, saveSession } from '../session/store.js';
import { formatSessionId, parseSessionId } from '../../shared/ids.js';
import { settleLocked } from '../project/settle.js';
import { highestNumberOn } from '../session/start.js';
import { checkRemote, defaultRemote, fetchRefs, pushRefs, type PushedRef } from '../../storage/git/remote.js';
import type { GitProgress } from '../../storage/git/run.js';
import { started, type ProgressFn } from '../../shared/progress.js';
import { createAnnotatedTag } from '../../storage/git/tags.js';
import { deleteRef, listRefs, readRef, updateRef } from '../../storage/git/refs.js';
import { transcriptRefName } from '../agent/transcripts.js';
import { refuseSecrets, secretsToPublish } from './push-secrets.js';

/** What `pull` fetches; plain `git fetch <remote>` with these refspecs does the same. */
export const fetchRefspecs = (remote: string) => [
  `+refs/sessions/*:refs/remotes/${remote}/sessions/*`,
  `+refs/specmap/meta/*:${REMOTE_META_PREFIX(remote)}*`,
  `+refs/specmap/transcripts/*:refs/remotes/${remote}/specmap/transcripts/*`,
  `+refs/tags/checkpoints/*:refs/remotes/${remote}/tags/checkpoints/*`,
  `+refs/backups/*:refs/remotes/${remote}/backups/*`,
  `+refs/tags/milestones/*:refs/remotes/${remote}/tags/milestones/*`,
];

export interface PushInput {
  remote?: string;
  /** Session references; none pushes every local session and the backups. */
  sessions?: string[];
  /** Push even when the objects to publish look like they hold secrets. */
  allowSecrets?: boolean;
  onProgress?: ProgressFn;
}

export interface PushResult {
  remote: string;
  sessions: string[];
  refs: PushedRef[];
}

async function isRemote(project: Project, name: string): Promise<boolean> {
  try {
    await checkRemote(project.git, name);
    return true;
  } catch {
    return false;
  }
}

async function pickRemote(project: Project, remote: string | undefined): Promise<string> {
  const r = remote ?? (await defaultRemote(project.git));
  await checkRemote(project.git, r);
  return r;
}

/**
 * Pushes sessions (their refs, checkpoint tags and metadata commits) and, when no session is named, the backup
 * refs and milestone tags. Never forced and atomic: a rejected ref means nothing was pushed, and the error says
 * whether it is a collision with someone else's session (renumber yours) or a diverged history. Locks in steps:
 * the lock (with queued work settled) only while the metadata commits are written and the refs collected; the
 * network push runs without it, so other commands are not held up by a slow remote.
 */
export async function pushSessions(project: Project, opts: PushInput): Promise<PushResult> {
  let sessions = opts.sessions ?? [];
  let remoteName = opts.remote;
  // `specmap push <session>`: a first argument that is no remote but a session is a session.
  if (remoteName !== undefined && !(await isRemote(project, remoteName)) && /-session-\d{3}/.test(remoteName)) {
    sessions = [remoteName, ...sessions];
    remoteName = undefined;
  }
  const remote = await pickRemote(project, remoteName);
  const refspecs = await withProjectLock(project, async () => {
    await settleLocked(project);
    const handles = sessions.length > 0 ? sessions.map((s) => resolveSession(project, s)) : listSessionHandles(project);
    const specs: string[] = [];
    for (const h of handles) {
      await writeMetaCommit(project, h);
      for (const ref of [sessionRefName(h.id), metaRefName(h.id), transcriptRefName(h.id)]) if (await readRef(project.git, ref)) specs.push(`${ref}:${ref}`);
      for (const { ref } of await listRefs(project.git, `refs/tags/checkpoints/${h.id}/`)) specs.push(`${ref}:${ref}`);
    }
    if (sessions.length === 0) {
      for (const ns of ['refs/backups/', 'refs/tags/milestones/']) {
        for (const { ref } of await listRefs(project.git, ns)) specs.push(`${ref}:${ref}`);
      }
    }
    return { specs, ids: handles.map((h) => h.id) };
  });
  // Nothing that looks like a secret leaves the machine unless the person says so.
  if (!opts.allowSecrets) {
    opts.onProgress?.(started('scan'));
    refuseSecrets(await secretsToPublish(project, refspecs.specs.map((s) => s.split(':')[0]!), remote), remote);
  }
  opts.onProgress?.(started('push'));
  const refs = await pushRefs(project.git, remote, refspecs.specs, fromGit('push', opts.onProgress));
  const rejected = refs.filter((r) => r.flag === '!');
  if (rejected.length > 0) throw await explainRejection(project, remote, rejected);
  return { remote, sessions: refspecs.ids, refs };
}

/** git's own progress reports as specmap's: its step named, objects counted. */
function fromGit(phase: 'push' | 'fetch', onProgress: ProgressFn | undefined): ((p: GitProgress) => void) | undefined {
  return onProgress && ((p) => onProgress({ phase, step: p.step, files: p.done, totalFiles: p.total, bytes: p.bytes, totalBytes: 0 }));
}

async function explainRejection(project: Project, remote: string, rejected: PushedRef[]): Promise<SpecmapError> {
  const ids = [...new Set(rejected.map((r) => /^refs\/(?:sessions|specmap\/meta|tags\/checkpoints)\/([^/]+)/.exec(r.ref)?.[1]).filter((x): x is string => !!x))];
  // Look at what the remote has under those ids: someone else's session, or ours moved on differently.
  await fetchRefs(project.git, remote, fetchRefspecs(remote)).catch(() => {});
  const remoteDocs = new Map<string, { user?: unknown; start_time?: unknown; date?: unknown }>();
  for (const s of await listRemoteSessions(project, remote)) {
    if (ids.includes(s.id)) remoteDocs.set(s.id, (await readRemoteSessionDoc(project, s).catch(() => undefined))?.session ?? {});
  }
  const collisions: string[] = [];
  const diverged: string[] = [];
  for (const id of ids) {
    const theirs = remoteDocs.get(id);
    let ours: Record<string, unknown> | undefined;
    try {
      ours = loadSession(resolveSession(project, id)).session;
    } catch {
      ours = undefined;
    }
    const same = theirs && ours && theirs.user === ours.user && theirs.start_time === ours.start_time && theirs.date === ours.date;
    (same ? diverged : collisions).push(id);
  }
  const parts: string[] = [];
  if (collisions.length > 0) {
    parts.push(`${collisions.join(', ')} already exist${collisions.length === 1 ? 's' : ''} on ${remote} as another session; run 'specmap renumber <session>' and push again`);
  }
  if (diverged.length > 0) {
    parts.push(`${diverged.join(', ')} diverged from ${remote} (both sides have checkpoints the other lacks); 'specmap pull' and compare with 'specmap log', then renumber yours to push it as a new session`);
  }
  if (parts.length === 0) parts.push(`${rejected.map((r) => r.ref).join(', ')} rejected by ${remote}: ${rejected[0]!.summary}`);
  return new SpecmapError('CONFLICT', `nothing was pushed: ${parts.join('; ')}`, { rejected });
}

export interface PullResult {
  remote: string;
  sessions: { id: string; local: boolean }[];
}

/**
 * Fetches every session, checkpoint tag and backup ref of the remote into refs/remotes/<remote>/...; local refs are
 * never touched, so no lock is needed.
 */
export async function pullSessions(project: Project, opts: { remote?: string; onProgress?: ProgressFn }): Promise<PullResult> {
  const remote = await pickRemote(project, opts.remote);
  await fetchRefs(project.git, remote, fetchRefspecs(remote), fromGit('fetch', opts.onProgress));
  const local = new Set(listSessionHandles(project).map((h) => h.id));
  const sessions = (await listRemoteSessions(project, remote)).map((s) => ({ id: s.id, local: local.has(s.id) }));
  return { remote, sessions };
}

export interface RenumberResult {
  from: string;
  to: string;
}

/**
 * Gives a session the next free number of its day (counting fetched sessions): folder, session.yaml, session ref,
 * checkpoint tags. The way out of an id collision with another clone. Commit messages keep the old id in their
 * trailers; session.yaml records it under `renumbered_from`. Lock held.
 */
export async function renumberSession(project: Project, session: string): Promise<RenumberResult> {
  const h = resolveSession(project, session);
  const parsed = parseSessionId(h.id);
  if (!parsed) throw new SpecmapError('INVALID_INPUT', `${h.id} is not a YYYY-MM-DD-session-NNN-focus id`, { kind: 'session-id' });
  const to = formatSessionId(parsed.date, (await highestNumberOn(project, parsed.date)) + 1, parsed.slug);
  const destRel = sessionRelDir(h.state === 'active' ? 'active' : 'archive', to);
  if (existsSync(abs(project.root, destRel))) throw new SpecmapError('CONFLICT', `${destRel} already exists`, { kind: 'destination-exists' });
  const doc = loadSession(h);
  const repo = project.git;

  const tip = await readRef(repo, sessionRefName(h.id));
  if (tip) await updateRef(repo, sessionRefName(to), tip, undefined, `specmap renumber ${h.id} -> ${to}`);
  for (const c of doc.checkpoints) {
    const old = await readRef(repo, `refs/tags/${checkpointTagName(h.id, c.id)}`);
    if (!c.commit || !old) continue;
    await createAnnotatedTag(repo, { name: checkpointTagName(to, c.id), target: c.commit, message: checkpointMessage({ description: c.description, session: to, checkpoint: c.id, agent: doc.session.agent, renumberedFrom: h.id }), date: now() });
  }
  doc.session.id = to;
  doc.renumbered_from = h.id;
  if (doc.git) doc.git.ref = sessionRefName(to);
  saveSession(h, doc);
  renameSync(h.dir, abs(project.root, destRel));

  for (const c of doc.checkpoints) {
    const old = await readRef(repo, `refs/tags/${checkpointTagName(h.id, c.id)}`);
    if (old) await deleteRef(repo, `refs/tags/${checkpointTagName(h.id, c.id)}`, old);
  }
  if (tip) await deleteRef(repo, sessionRefName(h.id), tip);
  const meta = await readRef(repo, metaRefName(h.id));
  if (meta) await deleteRef(repo, metaRefName(h.id), meta);
  return { from: h.id, to };
}
