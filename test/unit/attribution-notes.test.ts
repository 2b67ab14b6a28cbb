import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRepo, type RepoPaths } from '../../src/storage/git/repo.js';
import { mergeNotes, writeNote } from '../../src/storage/git/notes.js';
import { makeRepo, type TestRepo } from '../support/repo.js';

// The attribution notes ref (refs/notes/specmap) moves with compare-and-swap: a writer that loses the race to
// another reads the ref again and applies its change on top, so no note is lost. The race is forced through the
// writers' test seam (another write lands between a writer's read and its swap), never by timing.

const REF = 'refs/notes/specmap';
const at = new Date('2025-10-25T09:00:00Z');

let prev: string | undefined;
beforeEach(() => {
  prev = process.env.GIT_CONFIG_GLOBAL;
});
afterEach(() => {
  process.env.GIT_CONFIG_GLOBAL = prev;
});

/** A repository with `n` commits besides the first, and its paths for the storage functions (git in-process). */
async function repoWithCommits(n: number): Promise<{ repo: TestRepo; paths: RepoPaths; commits: string[] }> {
  const repo = makeRepo();
  process.env.GIT_CONFIG_GLOBAL = repo.env.GIT_CONFIG_GLOBAL;
  const commits = [repo.git('rev-parse', 'HEAD')];
  for (let i = 1; i <= n; i++) {
    repo.write(`f${i}.txt`, `${i}\n`);
    commits.push(repo.commitAll(`c${i}`));
  }
  return { repo, paths: await findRepo(repo.dir), commits };
}

const notesOf = (repo: TestRepo) => new Map(repo.git('notes', `--ref=${REF}`, 'list').split('\n').filter(Boolean).map((l) => {
  const [blob, object] = l.split(' ');
  return [object!, repo.git('cat-file', 'blob', blob!)];
}));

describe('attribution notes are written with compare-and-swap', () => {
  it('a write that loses the race to another one applies its note again on top: both notes stay', async () => {
    const { repo, paths, commits: [a, b, c, d] } = await repoWithCommits(3);
    // The ref does not exist yet: the other writer creates it first.
    let calls = 0;
    await writeNote(paths, REF, a!, 'note a\n', at, {
      beforeSwap: async () => {
        if (calls++ === 0) await writeNote(paths, REF, b!, 'note b\n', at);
      },
    });
    expect(calls).toBe(2);
    expect(notesOf(repo)).toEqual(new Map([[a!, 'note a'], [b!, 'note b']]));

    // The ref exists: the other writer moves it on, once replacing the very note being written.
    calls = 0;
    await writeNote(paths, REF, c!, 'note c\n', at, {
      beforeSwap: async () => {
        if (calls++ === 0) {
          await writeNote(paths, REF, d!, 'note d\n', at);
          await writeNote(paths, REF, a!, 'note a, again\n', at);
        }
      },
    });
    expect(calls).toBe(2);
    expect(notesOf(repo)).toEqual(new Map([[a!, 'note a, again'], [b!, 'note b'], [c!, 'note c'], [d!, 'note d']]));
    // The notes ref's history holds every write; no private ref is left behind.
    expect(repo.git('rev-list', '--count', REF)).toBe('5');
    expect(repo.git('for-each-ref', 'refs/notes/')).toBe(repo.git('for-each-ref', REF));
  });

  it('a notes merge that loses the race keeps the note written meanwhile', async () => {
    const { repo, paths, commits: [a, b, c] } = await repoWithCommits(2);
    await writeNote(paths, REF, a!, 'ours\n', at);
    await writeNote(paths, 'refs/notes/theirs', b!, 'theirs\n', at);
    let calls = 0;
    await mergeNotes(paths, REF, 'refs/notes/theirs', {
      beforeSwap: async () => {
        if (calls++ === 0) await writeNote(paths, REF, c!, 'meanwhile\n', at);
      },
    });
    expect(calls).toBe(2);
    expect(notesOf(repo)).toEqual(new Map([[a!, 'ours'], [b!, 'theirs'], [c!, 'meanwhile']]));
  });

  it('many writers at once: every note is there afterwards', async () => {
    const { repo, paths, commits } = await repoWithCommits(7);
    await Promise.all(commits.map((c, i) => writeNote(paths, REF, c, `note ${i}\n`, at)));
    expect(notesOf(repo)).toEqual(new Map(commits.map((c, i) => [c, `note ${i}`])));
  });
});
