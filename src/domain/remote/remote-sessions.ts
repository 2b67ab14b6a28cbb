import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { now } from '../../shared/clock.js';
import { SpecmapError } from '../../shared/errors.js';
import { parseSessionYaml, type SessionDoc } from '../session/session-file.js';
import type { Project } from '../project/project.js';
import type { SessionHandle } from '../session/store.js';
import { extractZip } from '../../storage/zip/reader.js';
import { archiveZip } from '../../storage/git/archive.js';
import { commitTree } from '../../storage/git/objects.js';
import { checkRemote, folderTree, showFile } from '../../storage/git/remote.js';
import { listRefs, readRef, updateRef } from '../../storage/git/refs.js';

/**
 * Session metadata travels as a commit per session on refs/specmap/meta/<id>: its tree is the session's workspace
 * folder (session.yaml, summary.md, notes, decisions, snapshot manifests). `push` refreshes it; `pull` fetches it
 * to refs/remotes/<remote>/specmap/meta/<id>. See docs/decisions/0002-sessions-across-machines.md.
 */
export const metaRefName = (id: string) => `refs/specmap/meta/${id}`;
export const REMOTE_META_PREFIX = (remote: string) => `refs/remotes/${remote}/specmap/meta/`;

/** A session's metadata commit as a push would leave it: `commit` is new (and the ref must move) unless it is `previous`. */
export interface MetaCommitPlan {
  session: string;
  ref: string;
  previous: string | undefined;
  commit: string;
}

/**
 * The session's metadata commit for its workspace as it is now: the ref's commit when the folder is unchanged, else
 * a new commit (written to the object store; nothing refers to it until applyMetaCommit moves the ref).
 */
export async function planMetaCommit(project: Project, h: SessionHandle): Promise<MetaCommitPlan> {
  const ref = metaRefName(h.id);
  const previous = await readRef(project.git, ref);
  const tree = await folderTree(project.git, h.relDir);
  if (previous && (await readRef(project.git, `${previous}^{tree}`)) === tree) return { session: h.id, ref, previous, commit: previous };
  const commit = await commitTree(project.git, {
    tree,
    parents: previous ? [previous] : [],
    message: `specmap session metadata ${h.id}\n\nSession-Id: ${h.id}\nState: ${h.state}\n`,
    date: now(),
  });
  return { session: h.id, ref, previous, commit };
}

/** Moves the metadata ref to the planned commit (compare-and-swap), when it is a new one. */
export async function applyMetaCommit(project: Project, plan: MetaCommitPlan): Promise<void> {
  if (plan.commit === plan.previous) return;
  await updateRef(project.git, plan.ref, plan.commit, plan.previous, `specmap: session metadata ${plan.session}`);
}

export interface RemoteSession {
  remote: string;
  id: string;
  /** refs/remotes/<remote>/specmap/meta/<id> and the commit it points at. */
  ref: string;
  commit: string;
}

/**
 * Sessions fetched from remotes (all of them, or one remote's). A named remote must be a configured one with a
 * valid name (INVALID_INPUT otherwise): `../x` or a typo is an error, not an empty listing.
 */
export async function listRemoteSessions(project: Project, remote?: string): Promise<RemoteSession[]> {
  if (remote !== undefined) await checkRemote(project.git, remote);
  const refs = await listRefs(project.git, remote ? REMOTE_META_PREFIX(remote) : 'refs/remotes/');
  const out: RemoteSession[] = [];
  for (const { ref, oid } of refs) {
    const m = /^refs\/remotes\/([^/]+)\/specmap\/meta\/(.+)$/.exec(ref);
    if (m) out.push({ remote: m[1]!, id: m[2]!, ref, commit: oid });
  }
  return out;
}

export async function readRemoteSessionDoc(project: Project, s: RemoteSession): Promise<SessionDoc> {
  const text = await showFile(project.git, s.commit, 'session.yaml');
  if (text === undefined) throw new SpecmapError('CORRUPT_DATA', `${s.ref} holds no session.yaml`);
  return parseSessionYaml(text, `${s.ref}:session.yaml`);
}

/**
 * A fetched session as a read-only handle: its workspace is extracted (zip-slip safe) into a cache under the git
 * dir, refreshed whenever the fetched commit changes, so show, log and restore read it like a local one.
 */
export async function materialiseRemoteSession(project: Project, s: RemoteSession): Promise<SessionHandle> {
  const cache = join(project.git.gitDir, 'specmap', 'remote-sessions', s.remote, s.id);
  const marker = join(cache, '.specmap-commit');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== s.commit) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(join(cache, '..'), { recursive: true });
    const zip = `${cache}.zip`;
    rmSync(zip, { force: true });
    try {
      await archiveZip(project.git, s.commit, zip);
      await extractZip(zip, cache, { onSymlink: () => {} });
    } finally {
      rmSync(zip, { force: true });
    }
    writeFileSync(marker, s.commit);
  }
  return { id: s.id, state: 'remote', remote: s.remote, relDir: `(${s.remote}) ${s.id}`, dir: cache };
}
