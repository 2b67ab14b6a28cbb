import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

/** A project with tracked files to modify, delete and rename, and an active session. */
async function project() {
  const repo = makeRepo();
  repo.write('src/keep.js', 'keep\n');
  repo.write('src/edit.js', 'edit v1\n');
  repo.write('src/gone.js', 'gone\n');
  repo.write('src/old-name.js', 'renamed content\n');
  repo.commitAll('tracked files');
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'Refactor'], { ...o, now: '2025-10-25T09:00:00' });
  return { repo, o };
}

/** Modifies, deletes and renames tracked files in the work tree only, as an agent would, then checkpoints. */
async function changeTrackedFiles(repo: TestRepo, o: { cwd: string; env: NodeJS.ProcessEnv }) {
  repo.write('src/edit.js', 'edit v2\n');
  rmSync(join(repo.dir, 'src/gone.js'));
  rmSync(join(repo.dir, 'src/old-name.js'));
  repo.write('src/new-name.js', 'renamed content\n');
  await ok(['checkpoint', '@', 'refactor'], o);
}

const index = (repo: TestRepo) => repo.git('ls-files', '-s');

describe('specmap merge onto the checked-out branch', () => {
  it('commits modified, deleted and renamed tracked files; only their index entries move, the work tree stays', async () => {
    const { repo, o } = await project();
    await changeTrackedFiles(repo, o);
    repo.write('scratch.txt', 'uncommitted, unrelated\n');
    repo.write('src/keep.js', 'keep, edited after the checkpoint\n');
    const indexBefore = index(repo).split('\n');
    const head = repo.git('rev-parse', 'HEAD');

    const r = JSON.parse((await ok(['merge', '@', '--json'], o)).stdout);
    expect(r).toMatchObject({ branch: 'main', parent: head, merged: false });
    expect(r.session_id).toMatch(/^\d{4}-\d{2}-\d{2}-session-001-/);
    expect(r.files).toEqual(['.gitignore', 'src/edit.js', 'src/gone.js', 'src/new-name.js', 'src/old-name.js']);
    expect(repo.git('rev-parse', 'HEAD')).toBe(r.commit);
    expect(repo.git('rev-parse', 'HEAD^')).toBe(head);
    expect(repo.git('diff', '--name-status', '-M', 'HEAD^', 'HEAD')).toBe('A\t.gitignore\nM\tsrc/edit.js\nD\tsrc/gone.js\nR100\tsrc/old-name.js\tsrc/new-name.js');

    // The index: exactly the merged files follow the new commit; every other entry is as it was.
    const indexAfter = index(repo).split('\n');
    const path = (line: string) => line.split('\t')[1]!;
    const merged = new Set<string>(r.files);
    expect(indexAfter.filter((l) => !merged.has(path(l)))).toEqual(indexBefore.filter((l) => !merged.has(path(l))));
    expect(repo.git('diff', '--cached', '--name-only')).toBe('');
    expect(indexAfter.map(path)).not.toContain('src/gone.js');
    expect(indexAfter.map(path)).not.toContain('src/old-name.js');

    // The work tree is untouched, and git status shows only what was uncommitted before.
    expect(readFileSync(join(repo.dir, 'src/edit.js'), 'utf8')).toBe('edit v2\n');
    expect(readFileSync(join(repo.dir, 'src/keep.js'), 'utf8')).toBe('keep, edited after the checkpoint\n');
    expect(repo.git('status', '--porcelain', '--', 'src', 'scratch.txt', '.gitignore')).toBe(' M src/keep.js\n?? scratch.txt');
    repo.git('fsck', '--no-progress');
  });

  it('accepts changes the user already staged as the merge has them (git mv, git rm, git add)', async () => {
    const { repo, o } = await project();
    await changeTrackedFiles(repo, o);
    repo.git('add', '-A', 'src');
    const r = JSON.parse((await ok(['merge', '@', '--json'], o)).stdout);
    expect(repo.git('rev-parse', 'HEAD')).toBe(r.commit);
    expect(repo.git('status', '--porcelain', '--', 'src', '.gitignore')).toBe('');
  });

  it('still refuses a file staged differently from both commits, and changes nothing', async () => {
    const { repo, o } = await project();
    await changeTrackedFiles(repo, o);
    repo.write('src/edit.js', 'edit v3, staged\n');
    repo.git('add', 'src/edit.js');
    repo.write('src/edit.js', 'edit v2\n');
    const head = repo.git('rev-parse', 'HEAD');
    const indexBefore = index(repo);

    const r = await runCli(['merge', '@'], o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/uncommitted changes in the way: src\/edit\.js \(staged differently from both commits\)/);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(index(repo)).toBe(indexBefore);
    expect(readFileSync(join(repo.dir, 'src/edit.js'), 'utf8')).toBe('edit v2\n');
  });
});
