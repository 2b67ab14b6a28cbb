import { nodeCrypto } from '../../shared/node-crypto.js';
import { gitDate } from '../../shared/clock.js';
import { isSpecmapError } from '../../shared/errors.js';
import { FALLBACK_IDENTITY, readBlobs } from './objects.js';
import { GitCommandError, runGit } from './run.js';
import { deleteRef, readRef, updateRef } from './refs.js';
import type { RepoPaths } from './repo.js';

/** Every note under `ref`: annotated object id → the note's blob id (one `git notes list`). */
export async function listNotes(repo: RepoPaths, ref: string): Promise<Map<string, string>> {
  const { stdout, code } = await runGit(['notes', `--ref=${ref}`, 'list'], { cwd: repo.root, okCodes: [1, 128] });
  const out = new Map<string, string>();
  if (code !== 0) return out;
  for (const line of stdout.split('\n')) {
    const [blob, object] = line.trim().split(' ');
    if (blob && object) out.set(object, blob);
  }
  return out;
}

/** The notes of `objects` under `ref`, as text, in one `cat-file --batch`; objects without one are left out. */
export async function readNotes(repo: RepoPaths, ref: string, objects: string[], listed?: Map<string, string>): Promise<Map<string, string>> {
  const all = listed ?? (await listNotes(repo, ref));
  const wanted = [...new Set(objects)].filter((o) => all.has(o));
  const blobs = await readBlobs(repo, wanted.map((o) => all.get(o)!));
  const out = new Map<string, string>();
  wanted.forEach((o, i) => {
    const b = blobs[i];
    if (b) out.set(o, b.toString('utf8'));
  });
  return out;
}

/** Test seam of the notes writes: runs once per attempt, after the new notes commit is made, before the ref moves. */
export interface NotesWriteOptions {
  beforeSwap?: () => Promise<void>;
}

/** How many times a notes write starts over after another writer moved the ref first. */
const NOTES_ATTEMPTS = 20;

/** A `git notes` call, again with specmap's identity when git has none for the notes commit. */
async function notesCommand(repo: RepoPaths, args: string[], env: Record<string, string>, input?: string): Promise<void> {
  try {
    await runGit(args, { cwd: repo.root, env, ...(input !== undefined ? { input } : {}) });
  } catch (err) {
    if (err instanceof GitCommandError && /tell me who you are|empty ident|name consists only/i.test(err.stderr)) {
      await runGit(args, { cwd: repo.root, env: { ...env, ...FALLBACK_IDENTITY }, ...(input !== undefined ? { input } : {}) });
      return;
    }
    throw err;
  }
}

/**
 * Changes the notes under `ref` with compare-and-swap: `apply` runs a `git notes` command on a private ref set to
 * `ref`'s value (git builds the notes tree and commit, fanout and all), then `ref` moves to the result only if it is
 * still where it was read. `git notes` itself moves its ref without looking, so two writers could lose a note; here
 * a lost race reads the ref again and applies the change again on top of the winner's, at most NOTES_ATTEMPTS
 * times (then CONFLICT). The private ref (refs/notes/tmp/…, outside what push and pull carry) is removed after.
 */
async function updateNotes(repo: RepoPaths, ref: string, reason: string, apply: (tmp: string) => Promise<void>, opts: NotesWriteOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const old = await readRef(repo, ref);
    const tmp = `refs/notes/tmp/specmap-${process.pid}-${nodeCrypto().randomBytes(6).toString('hex')}`;
    let at = old;
    try {
      if (old) await updateRef(repo, tmp, old, undefined, reason);
      await apply(tmp);
      const next = await readRef(repo, tmp);
      at = next;
      if (!next || next === old) return;
      await opts.beforeSwap?.();
      await updateRef(repo, ref, next, old, reason);
      return;
    } catch (err) {
      if (!isSpecmapError(err) || err.code !== 'CONFLICT' || attempt >= NOTES_ATTEMPTS) throw err;
    } finally {
      if (at) await deleteRef(repo, tmp, at).catch(() => {});
    }
  }
}

/** Sets the note of `object` under `ref` to `text`, replacing any (a commit on the notes ref, moved with compare-and-swap). */
export async function writeNote(repo: RepoPaths, ref: string, object: string, text: string, date: Date, opts: NotesWriteOptions = {}): Promise<void> {
  const env = { GIT_AUTHOR_DATE: gitDate(date), GIT_COMMITTER_DATE: gitDate(date) };
  await updateNotes(repo, ref, `specmap: note for ${object}`, (tmp) => notesCommand(repo, ['notes', `--ref=${tmp}`, 'add', '-f', '-F', '-', object], env, text), opts);
}

/**
 * Merges the notes ref `other` into `ref` with git's `cat_sort_uniq` strategy: a note both sides changed keeps the
 * lines of both, sorted, without duplicates (one record per line, so no record is cut). A fast-forward when `ref`
 * has nothing of its own. `ref` moves with compare-and-swap, as for writeNote.
 */
export async function mergeNotes(repo: RepoPaths, ref: string, other: string, opts: NotesWriteOptions = {}): Promise<void> {
  await updateNotes(repo, ref, `specmap: notes merged from ${other}`, (tmp) => notesCommand(repo, ['notes', `--ref=${tmp}`, 'merge', '-q', '-s', 'cat_sort_uniq', other], {}), opts);
}
