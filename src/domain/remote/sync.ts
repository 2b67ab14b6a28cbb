import { existsSync, renameSync } from 'node:fs';
import { SpecmapError } from '../../shared/errors.js';
import { now } from '../../shared/clock.js';
import { checkpointTagName, sessionRefName, sessionRelDir, abs } from '../../shared/layout.js';
import { checkpointMessage } from '../checkpoint/records.js';
import { withProjectLock, type Project } from '../project/project.js';
import { REMOTE_META_PREFIX, applyMetaCommit, listRemoteSessions, metaRefName, planMetaCommit, readRemoteSessionDoc, type MetaCommitPlan } from './remote-sessions.js';
import { listSessionHandles, loadSession, resolveSession, saveSession, type SessionHandle } from '../session/store.js';
import { resolveSessionHere } from '../session/lookup.js';
import type { CheckpointEntry, SessionDoc } from '../session/session-file.js';
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
import { HOOK_RULES } from '../hooks/rules.js';
import { mergeNotes } from '../../storage/git/notes.js';

const NOTES = HOOK_RULES.notesRef;
/** Where `pull` (and a push that met someone else's notes) keeps the remote's line attribution notes. */
export const remoteNotesRef = (remote: string) => `refs/remotes/${remote}/notes/specmap`;
// A pattern, so a remote without notes is no error (a plain refspec must exist on the remote).
const notesRefspec = (remote: string) => `+${NOTES}*:${remoteNotesRef(remote)}*`;

/**
 * The remote's attribution notes, fetched into remoteNotesRef, merged into ours with git's cat_sort_uniq strategy:
 * a commit both sides attributed keeps both records (one per line), and readers take the newest. Lock held.
 */
async function mergeRemoteNotes(project: Project, remote: string): Promise<void> {
  const theirs = await readRef(project.git, remoteNotesRef(remote));
  if (!theirs || theirs === (await readRef(project.git, NOTES))) return;
  await mergeNotes(project.git, NOTES, remoteNotesRef(remote));
}

/** What `pull` fetches; plain `git fetch <remote>` with these refspecs does the same. */
export const fetchRefspecs = (remote: string) => [
  `+refs/sessions/*:refs/remotes/${remote}/sessions/*`,
  `+refs/specmap/meta/*:${REMOTE_META_PREFIX(remote)}*`,
  `+refs/specmap/transcripts/*:refs/remotes/${remote}/specmap/transcripts/*`,
  `+refs/tags/checkpoints/*:refs/remotes/${remote}/tags/checkpoints/*`,
  `+refs/backups/*:refs/remotes/${remote}/backups/*`,
  `+refs/tags/milestones/*:refs/remotes/${remote}/tags/milestones/*`,
  notesRefspec(remote),
];

export interface PushInput {
  remote?: string;
  /** Session references; none pushes every local session and the backups. */
  sessions?: string[];
  /** Push even when the objects to publish look like they hold secrets. */
  allowSecrets?: boolean;
  /**
   * Run every step as the push does, but stop short of changing anything: the metadata commits are made in the
   * caller's scratch object store (withScratchObjects) and their refs left alone, the secrets check runs, and git is
   * asked with `push --dry-run`.
   */
  dryRun?: boolean;
  onProgress?: ProgressFn;
}

export interface PushResult {
  remote: string;
  sessions: string[];
  refs: PushedRef[];
  /** The local metadata refs (refs/specmap/meta/<id>) the push moved first, to a commit of the session's workspace. */
  metaUpdates: { ref: string; from: string | null; to: string }[];
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

/** What a push sends: each ref at the value it had under the lock, and the metadata commits it needs first. */
interface PushPlan {
  ids: string[];
  refs: { ref: string; oid: string }[];
  meta: MetaCommitPlan[];
}

/** Collects what a push of `sessions` (none: every session and the backups) sends. Lock held. */
async function planPush(project: Project, sessions: string[]): Promise<PushPlan> {
  const handles: SessionHandle[] = [];
  for (const s of sessions) handles.push(await resolveSessionHere(project, s, "'specmap push'"));
  if (sessions.length === 0) handles.push(...listSessionHandles(project));
  const refs: PushPlan['refs'] = [];
  const meta: MetaCommitPlan[] = [];
  for (const h of handles) {
    const m = await planMetaCommit(project, h);
    meta.push(m);
    const tip = await readRef(project.git, sessionRefName(h.id));
    if (tip) refs.push({ ref: sessionRefName(h.id), oid: tip });
    refs.push({ ref: m.ref, oid: m.commit });
    const transcript = await readRef(project.git, transcriptRefName(h.id));
    if (transcript) refs.push({ ref: transcriptRefName(h.id), oid: transcript });
    for (const r of await listRefs(project.git, `refs/tags/checkpoints/${h.id}/`)) refs.push({ ref: r.ref, oid: r.oid });
  }
  if (sessions.length === 0) {
    for (const ns of ['refs/backups/', 'refs/tags/milestones/']) {
      for (const r of await listRefs(project.git, ns)) refs.push({ ref: r.ref, oid: r.oid });
    }
  }
  // The line attribution notes (one ref for every commit) go along with any push.
  const notes = await readRef(project.git, NOTES);
  if (notes) refs.push({ ref: NOTES, oid: notes });
  return { ids: handles.map((h) => h.id), refs, meta };
}

/**
 * Pushes sessions (their refs, checkpoint tags and metadata commits) and, when no session is named, the backup
 * refs and milestone tags. Never forced and atomic: a rejected ref means nothing was pushed, and the error says
 * whether it is a collision with someone else's session (renumber yours) or a diverged history. Locks in steps:
 * the lock (with queued work settled) only while the metadata commits are written and the refs collected; the
 * network push runs without it, so other commands are not held up by a slow remote. Each ref is pushed at the value
 * it had under the lock (`<oid>:<ref>`), so what the secrets check read is what is sent.
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
  let plan = await withProjectLock(project, async () => {
    // A dry run settles nothing (the api reports what is queued instead).
    if (!opts.dryRun) await settleLocked(project);
    const p = await planPush(project, sessions);
    if (!opts.dryRun) for (const m of p.meta) await applyMetaCommit(project, m);
    return p;
  });
  // Nothing that looks like a secret leaves the machine unless the person says so.
  if (!opts.allowSecrets) {
    opts.onProgress?.(started('scan'));
    refuseSecrets(await secretsToPublish(project, plan.refs.map((r) => r.oid), remote), remote);
  }
  opts.onProgress?.(started('push'));
  const onProgress = fromGit('push', opts.onProgress);
  let refs = await pushRefs(project.git, remote, plan.refs.map((r) => `${r.oid}:${r.ref}`), { dryRun: opts.dryRun, onProgress });
  let rejected = refs.filter((r) => r.flag === '!');
  if (!opts.dryRun && rejected.some((r) => r.ref === NOTES && !/atomic/i.test(r.summary))) {
    // Another clone pushed notes first: take theirs in, then push again (still never forced).
    await fetchRefs(project.git, remote, [notesRefspec(remote)]);
    plan = await withProjectLock(project, async () => {
      await mergeRemoteNotes(project, remote);
      const notes = await readRef(project.git, NOTES);
      return { ...plan, refs: plan.refs.map((r) => (r.ref === NOTES && notes ? { ...r, oid: notes } : r)) };
    });
    refs = await pushRefs(project.git, remote, plan.refs.map((r) => `${r.oid}:${r.ref}`), { onProgress });
    rejected = refs.filter((r) => r.flag === '!');
  }
  if (rejected.length > 0) throw await explainRejection(project, remote, rejected, { fetch: !opts.dryRun });
  const metaUpdates = plan.meta.filter((m) => m.commit !== m.previous).map((m) => ({ ref: m.ref, from: m.previous ?? null, to: m.commit }));
  return { remote, sessions: plan.ids, refs, metaUpdates };
}

/** git's own progress reports as specmap's: its step named, objects counted. */
function fromGit(phase: 'push' | 'fetch', onProgress: ProgressFn | undefined): ((p: GitProgress) => void) | undefined {
  return onProgress && ((p) => onProgress({ phase, step: p.step, files: p.done, totalFiles: p.total, bytes: p.bytes, totalBytes: 0 }));
}

/**
 * The error for a rejected push. With `fetch`, the remote's sessions are fetched (into refs/remotes/) to tell a
 * collision from a divergence; a dry run, which must change nothing, uses only what an earlier pull fetched.
 */
async function explainRejection(project: Project, remote: string, rejected: PushedRef[], opts: { fetch: boolean }): Promise<SpecmapError> {
  const ids = [...new Set(rejected.map((r) => /^refs\/(?:sessions|specmap\/meta|tags\/checkpoints)\/([^/]+)/.exec(r.ref)?.[1]).filter((x): x is string => !!x))];
  // Look at what the remote has under those ids: someone else's session, or ours moved on differently.
  if (opts.fetch) await fetchRefs(project.git, remote, fetchRefspecs(remote)).catch(() => {});
  const remoteDocs = new Map<string, { user?: unknown; start_time?: unknown; date?: unknown }>();
  for (const s of await listRemoteSessions(project, remote)) {
    if (ids.includes(s.id)) remoteDocs.set(s.id, (await readRemoteSessionDoc(project, s).catch(() => undefined))?.session ?? {});
  }
  const collisions: string[] = [];
  const diverged: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const theirs = remoteDocs.get(id);
    if (!theirs && !opts.fetch) {
      unknown.push(id);
      continue;
    }
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
  if (unknown.length > 0) {
    parts.push(`${unknown.join(', ')} would be rejected by ${remote}; 'specmap pull' shows whether another session has the id or yours diverged`);
  }
  if (parts.length === 0) parts.push(`${rejected.map((r) => r.ref).join(', ')} rejected by ${remote}: ${rejected[0]!.summary}`);
  return new SpecmapError('CONFLICT', `nothing ${opts.fetch ? 'was' : 'would be'} pushed: ${parts.join('; ')}`, { rejected });
}

export interface PullResult {
  remote: string;
  sessions: { id: string; local: boolean }[];
}

/**
 * Fetches every session, checkpoint tag and backup ref of the remote into refs/remotes/<remote>/...; local refs are
 * never touched, except the attribution notes, which are merged into refs/notes/specmap (under the lock, briefly).
 */
export async function pullSessions(project: Project, opts: { remote?: string; onProgress?: ProgressFn }): Promise<PullResult> {
  const remote = await pickRemote(project, opts.remote);
  await fetchRefs(project.git, remote, fetchRefspecs(remote), fromGit('fetch', opts.onProgress));
  await withProjectLock(project, () => mergeRemoteNotes(project, remote));
  const local = new Set(listSessionHandles(project).map((h) => h.id));
  const sessions = (await listRemoteSessions(project, remote)).map((s) => ({ id: s.id, local: local.has(s.id) }));
  return { remote, sessions };
}

/** One ref a renumber creates or deletes; `target`: what a created ref points at (a tag: the commit it tags), a deleted ref's value. */
export interface RenumberRef {
  ref: string;
  action: 'create' | 'delete';
  target: string;
}

export interface RenumberResult {
  from: string;
  to: string;
  /** The session folder's move, project-relative. */
  folder: { from: string; to: string };
  /** Every ref created or deleted, in the order the renumber does it. */
  refs: RenumberRef[];
}

/** What renumberSession carries out, worked out from the session, its refs and the numbers taken. */
interface RenumberPlan extends RenumberResult {
  h: SessionHandle;
  doc: SessionDoc;
  tip: string | undefined;
  /** Each checkpoint tag: the checkpoint, the commit a new tag gets (none: the old one only goes), the old tag ref's value. */
  tags: { checkpoint: CheckpointEntry; commit: string | undefined; old: string }[];
  meta: string | undefined;
}

/**
 * Works out a renumber (the next free number of the session's day, counting fetched sessions) without changing
 * anything: the folder move and every ref it creates and deletes. Lock held.
 */
export async function planRenumber(project: Project, session: string): Promise<RenumberPlan> {
  const h = await resolveSessionHere(project, session, "'specmap renumber'");
  const parsed = parseSessionId(h.id);
  if (!parsed) throw new SpecmapError('INVALID_INPUT', `${h.id} is not a YYYY-MM-DD-session-NNN-focus id`, { kind: 'session-id' });
  const to = formatSessionId(parsed.date, (await highestNumberOn(project, parsed.date)) + 1, parsed.slug);
  const destRel = sessionRelDir(h.state === 'active' ? 'active' : 'archive', to);
  if (existsSync(abs(project.root, destRel))) throw new SpecmapError('CONFLICT', `${destRel} already exists`, { kind: 'destination-exists' });
  const doc = loadSession(h);
  const repo = project.git;
  const tip = await readRef(repo, sessionRefName(h.id));
  const tags: RenumberPlan['tags'] = [];
  for (const c of doc.checkpoints) {
    const old = await readRef(repo, `refs/tags/${checkpointTagName(h.id, c.id)}`);
    if (old) tags.push({ checkpoint: c, commit: c.commit, old });
  }
  const meta = await readRef(repo, metaRefName(h.id));
  const refs: RenumberRef[] = [
    ...(tip ? [{ ref: sessionRefName(to), action: 'create' as const, target: tip }] : []),
    ...tags.flatMap((t) => (t.commit ? [{ ref: `refs/tags/${checkpointTagName(to, t.checkpoint.id)}`, action: 'create' as const, target: t.commit }] : [])),
    ...tags.map((t) => ({ ref: `refs/tags/${checkpointTagName(h.id, t.checkpoint.id)}`, action: 'delete' as const, target: t.old })),
    ...(tip ? [{ ref: sessionRefName(h.id), action: 'delete' as const, target: tip }] : []),
    ...(meta ? [{ ref: metaRefName(h.id), action: 'delete' as const, target: meta }] : []),
  ];
  return { from: h.id, to, folder: { from: h.relDir, to: destRel }, refs, h, doc, tip, tags, meta };
}

/**
 * Gives a session the next free number of its day (counting fetched sessions): folder, session.yaml, session ref,
 * checkpoint tags. The way out of an id collision with another clone. Commit messages keep the old id in their
 * trailers; session.yaml records it under `renumbered_from`. Carries out planRenumber's plan. Lock held.
 */
export async function renumberSession(project: Project, plan: RenumberPlan): Promise<RenumberResult> {
  const { h, doc, tip, to } = plan;
  const repo = project.git;
  if (tip) await updateRef(repo, sessionRefName(to), tip, undefined, `specmap renumber ${h.id} -> ${to}`);
  for (const { checkpoint: c, commit } of plan.tags) {
    if (!commit) continue;
    await createAnnotatedTag(repo, { name: checkpointTagName(to, c.id), target: commit, message: checkpointMessage({ description: c.description, session: to, checkpoint: c.id, agent: doc.session.agent, renumberedFrom: h.id }), date: now() });
  }
  doc.session.id = to;
  doc.renumbered_from = h.id;
  if (doc.git) doc.git.ref = sessionRefName(to);
  saveSession(h, doc);
  renameSync(h.dir, abs(project.root, plan.folder.to));

  for (const t of plan.tags) await deleteRef(repo, `refs/tags/${checkpointTagName(h.id, t.checkpoint.id)}`, t.old);
  if (tip) await deleteRef(repo, sessionRefName(h.id), tip);
  if (plan.meta) await deleteRef(repo, metaRefName(h.id), plan.meta);
  return { from: plan.from, to, folder: plan.folder, refs: plan.refs };
}
