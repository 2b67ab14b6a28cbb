import { gitDate } from '../../shared/clock.js';
import { FALLBACK_IDENTITY, readBlobs } from './objects.js';
import { GitCommandError, runGit } from './run.js';
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

/** Sets the note of `object` under `ref` to `text`, replacing any (a commit on the notes ref). */
export async function writeNote(repo: RepoPaths, ref: string, object: string, text: string, date: Date): Promise<void> {
  const args = ['notes', `--ref=${ref}`, 'add', '-f', '-F', '-', object];
  const env = { GIT_AUTHOR_DATE: gitDate(date), GIT_COMMITTER_DATE: gitDate(date) };
  try {
    await runGit(args, { cwd: repo.root, env, input: text });
  } catch (err) {
    if (err instanceof GitCommandError && /tell me who you are|empty ident|name consists only/i.test(err.stderr)) {
      await runGit(args, { cwd: repo.root, env: { ...env, ...FALLBACK_IDENTITY }, input: text });
      return;
    }
    throw err;
  }
}

/**
 * Merges the notes ref `other` into `ref` with git's `cat_sort_uniq` strategy: a note both sides changed keeps the
 * lines of both, sorted, without duplicates (one record per line, so no record is cut). A fast-forward when `ref`
 * has nothing of its own.
 */
export async function mergeNotes(repo: RepoPaths, ref: string, other: string): Promise<void> {
  const args = ['notes', `--ref=${ref}`, 'merge', '-q', '-s', 'cat_sort_uniq', other];
  try {
    await runGit(args, { cwd: repo.root });
  } catch (err) {
    if (err instanceof GitCommandError && /tell me who you are|empty ident|name consists only/i.test(err.stderr)) {
      await runGit(args, { cwd: repo.root, env: FALLBACK_IDENTITY });
      return;
    }
    throw err;
  }
}
