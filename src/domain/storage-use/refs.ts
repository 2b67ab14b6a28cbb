import type { Exclusion } from '../../storage/git/disk-use.js';
import type { RefDetail } from '../../storage/git/refs.js';
import { checkpointTagName, sessionRefName } from '../../shared/layout.js';
import { metaRefName } from '../remote/remote-sessions.js';
import { transcriptRefName } from '../agent/transcripts.js';
import { safetyRefName } from '../agent/agent-event.js';

/**
 * The refs specmap writes, as rev-list `--exclude` globs (git's `*` matches across `/` there): sessions, checkpoint
 * tags, session metadata, transcripts, safety snapshots and turn baselines (refs/specmap/*), daily and milestone
 * backups, and what `specmap pull` fetched of them into refs/remotes/<remote>/. Everything else — branches, other
 * tags, remote branches, stashes, notes, HEAD — is the user's.
 */
export const SPECMAP_REF_GLOBS = [
  'refs/sessions/*',
  'refs/tags/checkpoints/*',
  'refs/specmap/*',
  'refs/backups/*',
  'refs/tags/milestones/*',
  'refs/remotes/*/sessions/*',
  'refs/remotes/*/specmap/*',
  'refs/remotes/*/tags/checkpoints/*',
  'refs/remotes/*/backups/*',
  'refs/remotes/*/tags/milestones/*',
];

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const SPECMAP_RES = SPECMAP_REF_GLOBS.map(glob);

/** True for a ref specmap wrote (one of SPECMAP_REF_GLOBS). */
export const isSpecmapRef = (ref: string) => SPECMAP_RES.some((re) => re.test(ref));

/**
 * Every ref but those `except` matches (globs as in SPECMAP_REF_GLOBS), HEAD included, as what rev-list leaves out;
 * `refs` (every ref, from listRefDetails) names the annotated tags' commits among them.
 */
export function allRefsBut(except: string[], refs: RefDetail[]): Exclusion {
  const res = except.map(glob);
  const tips = refs.filter((r) => r.type === 'tag' && r.peeled && !res.some((re) => re.test(r.ref))).map((r) => r.peeled!);
  return { args: [...except.map((g) => `--exclude=${g}`), '--all'], tips: [...new Set(tips)] };
}

/** The user's refs: every ref specmap did not write, and HEAD. */
export const userRefs = (refs: RefDetail[]) => allRefsBut(SPECMAP_REF_GLOBS, refs);

/** The refs that belong to one session: its chain, checkpoint tags, metadata, transcript and safety snapshots. */
export function sessionRefGlobs(id: string): string[] {
  return [sessionRefName(id), `refs/tags/${checkpointTagName(id, '*')}`, metaRefName(id), transcriptRefName(id), safetyRefName(id, '*')];
}

/** Whether `ref` is one of session `id`'s refs. */
export function isSessionRef(ref: string, id: string): boolean {
  return sessionRefGlobs(id).some((g) => glob(g).test(ref));
}

export const SAFETY_PREFIX = 'refs/specmap/safety/';
export const TURNS_PREFIX = 'refs/specmap/turns/';
export const DAILY_PREFIX = 'refs/backups/daily/';
export const MILESTONES_PREFIX = 'refs/tags/milestones/';
export const SESSIONS_PREFIX = 'refs/sessions/';
export const CHECKPOINTS_PREFIX = 'refs/tags/checkpoints/';
export const TRANSCRIPTS_PREFIX = 'refs/specmap/transcripts/';
