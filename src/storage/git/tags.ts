import { gitDate } from '../../shared/clock.js';
import { GitCommandError, runGit } from './run.js';
import type { RepoPaths } from './repo.js';
import { FALLBACK_IDENTITY } from './objects.js';
import { updateRef } from './refs.js';

export interface AnnotatedTagOptions {
  /** Tag name without refs/tags/, e.g. checkpoints/<session>/<checkpoint>. */
  name: string;
  target: string;
  message: string;
  date: Date;
  /** The tagger line, when the caller already asked for it (committerIdent): saves a `git var`. */
  tagger?: string;
}

/** "Name <email> <epoch> <tz>" for `date`, with the user's identity or specmap's fallback. */
export async function committerIdent(repo: RepoPaths, date: Date): Promise<string> {
  const env = { GIT_COMMITTER_DATE: gitDate(date) };
  try {
    return (await runGit(['var', 'GIT_COMMITTER_IDENT'], { cwd: repo.root, env })).stdout.trim();
  } catch (err) {
    if (!(err instanceof GitCommandError)) throw err;
    return (await runGit(['var', 'GIT_COMMITTER_IDENT'], { cwd: repo.root, env: { ...env, ...FALLBACK_IDENTITY } })).stdout.trim();
  }
}

/** Writes the annotated tag object only (no ref): a tag moved with a compare-and-swap updateRef, never deleted first. */
export async function writeTagObject(repo: RepoPaths, opts: AnnotatedTagOptions): Promise<string> {
  const tagger = opts.tagger ?? (await committerIdent(repo, opts.date));
  const body = `object ${opts.target}\ntype commit\ntag ${opts.name}\ntagger ${tagger}\n\n${opts.message.replace(/\n*$/, '\n')}`;
  const { stdout } = await runGit(['mktag'], { cwd: repo.root, input: body });
  return stdout.trim();
}

/**
 * Creates refs/tags/<name> as an annotated tag of `target`. Written with `mktag` rather than `git tag` so a
 * user's tag.gpgSign setting never prompts for a passphrase in the middle of a checkpoint; the ref is created
 * only if it does not exist yet.
 */
export async function createAnnotatedTag(repo: RepoPaths, opts: AnnotatedTagOptions): Promise<string> {
  const oid = await writeTagObject(repo, opts);
  await updateRef(repo, `refs/tags/${opts.name}`, oid, undefined, `specmap: tag ${opts.name}`);
  return oid;
}
