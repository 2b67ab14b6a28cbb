import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { agentTurn, blameOf, checkpointIds, claude, cli, commit, envOf, git, json, linesOf, noteOf } from '../support/attribution.js';

// The post-merge hook: a clean `git merge` runs no post-commit, so the post-merge shim queues the merge commit it
// made, and the same recording as a commit's gives it its line attribution note. A fast-forward (even to a merge
// commit made elsewhere) and a squash record nothing. The hooks' background process is off: the next specmap
// command records the queue.

/** git merge with the hooks active. */
function merge(repo: TestRepo, ...args: string[]): void {
  const r = spawnSync('git', ['merge', '-q', ...args], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** What the hooks queued and no specmap command has recorded yet: commit ids. */
function queued(repo: TestRepo): string[] {
  const file = join(repo.dir, '.git/specmap/pending-commits');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => l.split(' ')[0]!) : [];
}

/** A commit of `file` holding `text` on a new branch named `branch` (from `from`, else HEAD), its message the branch name. */
function branchCommit(repo: TestRepo, branch: string, file: string, text: string, from?: string): string {
  git(repo, 'switch', '-q', '-c', branch, ...(from ? [from] : []));
  repo.write(file, text);
  git(repo, 'add', 'src');
  return commit(repo, '-m', branch);
}

/** Back on main, which moves on by a README change: the commit. */
function mainMovesOn(repo: TestRepo): string {
  git(repo, 'switch', '-q', 'main');
  repo.write('README.md', '# test project\n\nmore\n');
  return commit(repo, '-a', '-m', 'readme');
}

const notedCommits = (repo: TestRepo) => git(repo, 'notes', '--ref=specmap', 'list').split('\n').filter(Boolean).map((l) => l.split(' ')[1]!).sort();
const sessionCommits = async (repo: TestRepo): Promise<string[]> => (await json(repo, ['show', '@'])).document.commits ?? [];

describe('post-merge', () => {
  it('a clean git merge --no-ff: the merge commit is recorded and its lines from the branch keep who wrote them', async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    await claude(repo, 'SessionStart', { source: 'startup' });
    git(repo, 'switch', '-q', '-c', 'feature');
    await agentTurn(repo, 'write the feature', () => repo.write('src/feature.js', 'export const a = 1;\nexport const b = 2;\n'));
    repo.write('src/feature.js', 'export const a = 1;\nexport const b = 2;\n// reviewed\n');
    git(repo, 'add', 'src');
    const feature = commit(repo, '-m', 'feature');
    const [cp1] = await checkpointIds(repo);
    const want = [[1, `claude ${cp1}`], [2, `claude ${cp1}`], [3, 'human']];
    expect([...linesOf(await noteOf(repo, feature), 'src/feature.js')]).toEqual(want);

    const onMain = mainMovesOn(repo);
    merge(repo, '--no-ff', 'feature', '-m', 'merge feature');
    const merged = git(repo, 'rev-parse', 'HEAD');
    expect(git(repo, 'rev-parse', 'HEAD^1', 'HEAD^2').split('\n')).toEqual([onMain, feature]);
    // Queued by the post-merge shim in the foreground, as post-commit queues a commit.
    expect(queued(repo)).toContain(merged);

    const record = await noteOf(repo, merged);
    expect(record.vcs.revision).toBe(merged);
    expect(record.metadata['dev.specmap']).toMatchObject({ source: 'commit', ai_lines: 0, human_lines: 0, merged_lines: 3 });
    expect([...linesOf(record, 'src/feature.js')]).toEqual(want);
    const via = record.files.find((f) => f.path === 'src/feature.js')!.conversations.map((c) => c.related?.find((r) => r.type === 'merged-from')?.url);
    expect(new Set(via)).toEqual(new Set([`specmap:commit/${feature}`]));
    expect(await sessionCommits(repo)).toEqual([feature, onMain, merged]);
    expect(await blameOf(repo, 'src/feature.js')).toEqual(want.map(([, by]) => by));
    // Each line counted once, in the branch's commit.
    expect((await json(repo, ['stats'])).total).toMatchObject({ ai_lines: 2, human_lines: 3 });
  });

  it('a fast-forward (git pull, git merge) records nothing, not even to a merge commit made elsewhere', async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    // Made with no session active: the history a fast-forward brings in, a merge commit among it.
    const base = git(repo, 'rev-parse', 'HEAD');
    branchCommit(repo, 'side', 'src/side.js', 'side\n');
    branchCommit(repo, 'topic', 'src/topic.js', 'topic\n', base);
    merge(repo, '--no-ff', 'side', '-m', 'merge side');
    const elsewhere = git(repo, 'rev-parse', 'HEAD');
    const tip = branchCommit(repo, 'more', 'src/more.js', 'more\n');
    git(repo, 'switch', '-q', 'main');
    expect(notedCommits(repo)).toEqual([]);

    await cli(repo, ['start', 'pulling']);
    const pull = spawnSync('git', ['pull', '-q', '.', 'topic'], { cwd: repo.dir, env: envOf(repo), encoding: 'utf8' });
    expect(pull.status, pull.stderr).toBe(0);
    expect(git(repo, 'reflog', '-1', '--format=%gs')).toMatch(/^pull .*: Fast-forward$/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(elsewhere);
    expect(git(repo, 'rev-parse', '-q', '--verify', 'HEAD^2')).not.toBe('');
    merge(repo, '--ff-only', 'more');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(tip);
    expect(queued(repo)).toEqual([]);
    expect(await sessionCommits(repo)).toEqual([]);
    expect(notedCommits(repo)).toEqual([]);
  });

  it('git merge --squash records nothing; the git commit that concludes it is recorded once, by post-commit', async () => {
    const repo = makeRepo();
    await cli(repo, ['hooks', 'install']);
    // HEAD is a merge commit made here, before the session: a squash must not take it for one it made.
    branchCommit(repo, 'early', 'src/early.js', 'early\n');
    mainMovesOn(repo);
    merge(repo, '--no-ff', 'early', '-m', 'merge early');
    const early = git(repo, 'rev-parse', 'HEAD');
    await cli(repo, ['start', 'squashing']);
    const feature = branchCommit(repo, 'feature', 'src/feature.js', 'feature\n');
    git(repo, 'switch', '-q', 'main');
    await cli(repo, ['list']);
    expect(queued(repo)).toEqual([]);

    merge(repo, '--squash', 'feature');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(early);
    expect(queued(repo)).toEqual([]);
    expect(await sessionCommits(repo)).toEqual([feature]);
    const squashed = commit(repo, '-m', 'squashed feature');
    expect(queued(repo)).toEqual([squashed]);
    expect(await sessionCommits(repo)).toEqual([feature, squashed]);
    expect([...linesOf(await noteOf(repo, squashed), 'src/feature.js')]).toEqual([[1, 'human']]);
  });

  it('chains an existing post-merge hook, which runs first and whose failure changes nothing', async () => {
    const repo = makeRepo();
    const hook = join(repo.dir, '.git/hooks/post-merge');
    const mine = '#!/bin/sh\necho "mine $1" >> "$(git rev-parse --git-dir)/mine.log"\nexit 3\n';
    writeFileSync(hook, mine);
    chmodSync(hook, 0o755);
    expect((await json(repo, ['hooks', 'install'])).changes).toContainEqual({ name: 'post-merge', action: 'chained' });
    await cli(repo, ['start', 'chained']);
    branchCommit(repo, 'feature', 'src/feature.js', 'feature\n');
    mainMovesOn(repo);
    merge(repo, '--no-ff', 'feature', '-m', 'merge feature');
    expect(readFileSync(join(repo.dir, '.git/mine.log'), 'utf8')).toBe('mine 0\n');
    expect(await sessionCommits(repo)).toContain(git(repo, 'rev-parse', 'HEAD'));
    expect((await json(repo, ['hooks', 'uninstall'])).changes).toContainEqual({ name: 'post-merge', action: 'restored' });
    expect(readFileSync(hook, 'utf8')).toBe(mine);
  });
});

describe('specmap hook post-merge (husky, lefthook)', () => {
  it('records a merge commit the merge made; not a squash (git\'s argument 1), not a fast-forward', async () => {
    const repo = makeRepo();
    await cli(repo, ['start', 'managed']);
    const feature = branchCommit(repo, 'feature', 'src/feature.js', 'feature\n');
    await cli(repo, ['hook', 'post-commit']);
    const onMain = mainMovesOn(repo);
    await cli(repo, ['hook', 'post-commit']);
    git(repo, 'switch', '-q', '-c', 'later', feature);
    merge(repo, '--no-ff', 'main', '-m', 'merge main into later');
    const elsewhere = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'switch', '-q', 'main');
    merge(repo, '--no-ff', 'feature', '-m', 'merge feature');
    const merged = git(repo, 'rev-parse', 'HEAD');

    await cli(repo, ['hook', 'post-merge', '1']);
    expect(await sessionCommits(repo)).toEqual([feature, onMain]);
    await cli(repo, ['hook', 'post-merge', '0']);
    expect(await sessionCommits(repo)).toEqual([feature, onMain, merged]);
    expect((await noteOf(repo, merged)).metadata['dev.specmap']).toMatchObject({ merged_lines: 1 });

    // A fast-forward to a merge commit made on another branch.
    git(repo, 'switch', '-q', 'later');
    git(repo, 'reset', '-q', '--hard', feature);
    merge(repo, elsewhere);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(elsewhere);
    await cli(repo, ['hook', 'post-merge']);
    expect(await sessionCommits(repo)).toEqual([feature, onMain, merged]);
  });
});
