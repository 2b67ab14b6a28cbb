import { isSpecmapError } from '../../shared/errors.js';
import { checkSessionRef } from '../../shared/ids.js';
import { SESSION_BACKUPS_DIR, abs, sessionBackupChecksumRel, sessionBackupManifestRel, sessionBackupRel } from '../../shared/layout.js';
import { fileBytes, folderSize } from '../../storage/fs/folder-size.js';
import { type Exclusion, countObjects, gcAutoThreshold, objectStoreBytes, reachableDiskUsage } from '../../storage/git/disk-use.js';
import { listRefDetails, type RefDetail } from '../../storage/git/refs.js';
import { catalogBackups } from '../backup/catalog.js';
import type { Project } from '../project/project.js';
import { listSessionHandles, resolveSession, type SessionHandle } from '../session/store.js';
import { transcriptRefName } from '../agent/transcripts.js';
import {
  CHECKPOINTS_PREFIX, DAILY_PREFIX, TRANSCRIPTS_PREFIX, MILESTONES_PREFIX, SAFETY_PREFIX, SESSIONS_PREFIX, TURNS_PREFIX, 
  allRefsBut, userRefs, isSessionRef, isSpecmapRef, sessionRefGlobs,
} from './refs.js';
import { existsSync, readdirSync } from 'node:fs';

/** What one session costs. Git's figures are `git rev-list --objects --disk-usage` bytes; files are apparent sizes. */
export interface SessionUse {
  session_id: string;
  /** Where its folder is: active/, archive/, or none here (an orphaned ref or ZIP, or another worktree's session). */
  state: 'active' | 'archive' | 'no-folder';
  /** Checkpoint tags (refs/tags/checkpoints/<id>/*). */
  checkpoints: number;
  /** Safety snapshots taken before destructive agent commands (refs/specmap/safety/<id>/*). */
  safety_snapshots: number;
  /** Objects the session's refs reach that no branch, user tag, remote branch or HEAD reaches. */
  git_bytes: number;
  /** Of those, the objects no other ref at all reaches: what deleting this session's refs would let git free. */
  unique_bytes: number;
  /** Objects its transcript (refs/specmap/transcripts/<id>) reaches that the user's refs do not. */
  transcript_bytes: number;
  /** Its session ZIP, or null when there is none. */
  zip: string | null;
  /** The ZIP with its manifest and .sha256 record. */
  zip_bytes: number;
  /** The files of its folder (0 without one). */
  workspace_bytes: number;
}

export interface BackupsUse {
  count: number;
  /** The files of the backups' folders and ZIPs (with their manifests). */
  disk_bytes: number;
  /** Objects their refs reach that the user's refs do not. */
  git_bytes: number;
}

export interface DiskUsage {
  sessions: SessionUse[];
  totals: {
    sessions: number;
    checkpoints: number;
    /** Every object specmap's refs reach that the user's refs do not (shared objects counted once). */
    git_bytes: number;
    transcript_bytes: number;
    session_zip_bytes: number;
    workspace_bytes: number;
    daily: BackupsUse;
    milestones: BackupsUse;
    /** Agent conversations' turn baselines (refs/specmap/turns/*, trees). */
    turn_baselines: { count: number; git_bytes: number };
    /** What `specmap pull` fetched of other machines' sessions and backups (refs/remotes/<remote>/…). */
    fetched: { refs: number; git_bytes: number };
  };
  /** The repository's object store as git counts it (`git count-objects -v`), with the files' apparent sizes. */
  objects: {
    loose_count: number;
    loose_bytes: number;
    packs: number;
    packed_objects: number;
    pack_bytes: number;
    /** gc.auto: the loose objects above which `specmap gc` (and `git gc --auto`) packs them; 0 means never. */
    gc_auto: number;
  };
}

const names = (refs: RefDetail[]) => refs.map((r) => r.ref);

/** The session ids du reports: every folder, every refs/sessions/<id>, every session ZIP. */
function sessionIds(project: Project, refs: RefDetail[]): Map<string, SessionHandle | undefined> {
  const ids = new Map<string, SessionHandle | undefined>();
  for (const h of listSessionHandles(project)) if (!ids.get(h.id)) ids.set(h.id, h);
  for (const r of refs) if (r.ref.startsWith(SESSIONS_PREFIX)) if (!ids.has(r.ref.slice(SESSIONS_PREFIX.length))) ids.set(r.ref.slice(SESSIONS_PREFIX.length), undefined);
  const dir = abs(project.root, SESSION_BACKUPS_DIR);
  if (existsSync(dir)) {
    for (const n of readdirSync(dir)) {
      const m = /^(.+)-backup\.zip$/.exec(n);
      if (m && !n.startsWith('.') && !ids.has(m[1]!)) ids.set(m[1]!, undefined);
    }
  }
  return new Map([...ids].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A session's files: its ZIP with the records beside it, and its folder. */
function sessionFiles(project: Project, id: string, h: SessionHandle | undefined): { zip: string | null; zip_bytes: number; workspace_bytes: number } {
  const zip = sessionBackupRel(id);
  const at = (rel: string) => fileBytes(abs(project.root, rel));
  return {
    zip: existsSync(abs(project.root, zip)) ? zip : null,
    zip_bytes: at(zip) + at(sessionBackupManifestRel(id)) + at(sessionBackupChecksumRel(id)),
    workspace_bytes: h ? folderSize(h.dir).bytes : 0,
  };
}

const checkpointCount = (refs: RefDetail[], id: string) => refs.filter((r) => r.ref.startsWith(`${CHECKPOINTS_PREFIX}${id}/`)).length;

/** One session's row. */
async function sessionUse(project: Project, id: string, h: SessionHandle | undefined, refs: RefDetail[], user: Exclusion): Promise<SessionUse> {
  const own = refs.filter((r) => isSessionRef(r.ref, id));
  const { zip, zip_bytes, workspace_bytes } = sessionFiles(project, id, h);
  return {
    session_id: id,
    state: h ? (h.state as 'active' | 'archive') : 'no-folder',
    checkpoints: checkpointCount(refs, id),
    safety_snapshots: own.filter((r) => r.ref.startsWith(`${SAFETY_PREFIX}${id}/`)).length,
    git_bytes: await reachableDiskUsage(project.git, names(own), user),
    unique_bytes: await reachableDiskUsage(project.git, names(own), allRefsBut(sessionRefGlobs(id), refs)),
    transcript_bytes: await reachableDiskUsage(project.git, names(own.filter((r) => r.ref === transcriptRefName(id))), user),
    zip, zip_bytes, workspace_bytes,
  };
}

/** Picks the one session `ref` names: a folder (id, prefix, @), else the exact id of a ref or ZIP without one. */
function pickSession(project: Project, ref: string, ids: Map<string, SessionHandle | undefined>): string {
  checkSessionRef(ref);
  try {
    return resolveSession(project, ref).id;
  } catch (err) {
    if (isSpecmapError(err) && err.code === 'SESSION_NOT_FOUND' && ids.has(ref)) return ref;
    throw err;
  }
}

/**
 * What specmap costs on disk: per session (or for the one `session` names) its checkpoints, the git objects only its
 * refs hold, its transcript's share, its ZIP and its folder; then the backups, turn baselines, fetched refs and the
 * object store. Read only.
 */
export async function diskUsage(project: Project, opts: { session?: string } = {}): Promise<DiskUsage> {
  const refs = await listRefDetails(project.git);
  const ids = sessionIds(project, refs);
  const user = userRefs(refs);
  const chosen = opts.session !== undefined ? [pickSession(project, opts.session, ids)] : [...ids.keys()];
  const sessions: SessionUse[] = [];
  for (const id of chosen) sessions.push(await sessionUse(project, id, ids.get(id), refs, user));

  const specmap = refs.filter((r) => isSpecmapRef(r.ref));
  const under = (prefix: string) => specmap.filter((r) => r.ref.startsWith(prefix));
  const backups = await catalogBackups(project);
  const diskOf = (kind: 'daily' | 'milestone') => backups.filter((b) => b.kind === kind).reduce((n, b) => {
    if (b.kind === 'daily') return n + folderSize(abs(project.root, b.folder ?? b.zip.replace(/\/$/, ''))).bytes;
    return n + fileBytes(abs(project.root, b.zip)) + (b.manifest ? fileBytes(abs(project.root, b.manifest)) : 0);
  }, 0);
  let zipBytes = 0;
  let workspaceBytes = 0;
  for (const [id, h] of ids) {
    const f = sessionFiles(project, id, h);
    zipBytes += f.zip_bytes;
    workspaceBytes += f.workspace_bytes;
  }
  const fetched = specmap.filter((r) => r.ref.startsWith('refs/remotes/'));
  const counted = await countObjects(project.git);
  const files = objectStoreBytes(project.git);
  return {
    sessions,
    totals: {
      sessions: ids.size,
      checkpoints: under(CHECKPOINTS_PREFIX).filter((r) => ids.has(r.ref.slice(CHECKPOINTS_PREFIX.length).split('/')[0]!)).length,
      git_bytes: await reachableDiskUsage(project.git, names(specmap), user),
      transcript_bytes: await reachableDiskUsage(project.git, names(under(TRANSCRIPTS_PREFIX)), user),
      session_zip_bytes: zipBytes,
      workspace_bytes: workspaceBytes,
      daily: {
        count: backups.filter((b) => b.kind === 'daily').length, disk_bytes: diskOf('daily'),
        git_bytes: await reachableDiskUsage(project.git, names(under(DAILY_PREFIX)), user),
      },
      milestones: {
        count: backups.filter((b) => b.kind === 'milestone').length, disk_bytes: diskOf('milestone'),
        git_bytes: await reachableDiskUsage(project.git, names(under(MILESTONES_PREFIX)), user),
      },
      turn_baselines: { count: under(TURNS_PREFIX).length, git_bytes: await reachableDiskUsage(project.git, names(under(TURNS_PREFIX)), user) },
      fetched: { refs: fetched.length, git_bytes: await reachableDiskUsage(project.git, names(fetched), user) },
    },
    objects: {
      loose_count: counted.count, loose_bytes: files.looseBytes, packs: counted.packs, packed_objects: counted.inPack,
      pack_bytes: files.packBytes, gc_auto: await gcAutoThreshold(project.git),
    },
  };
}
