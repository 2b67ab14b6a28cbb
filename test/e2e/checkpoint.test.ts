import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const ID = '2025-10-25-session-001-authentication';
const REF = `refs/sessions/${ID}`;

async function started(repo = makeRepo()) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'authentication'], { ...o, now: '2025-10-25T14:30:00' });
  const yaml = () => parse(readFileSync(join(repo.dir, '04-agents/sessions/active', ID, 'session.yaml'), 'utf8'));
  return { repo, o, yaml };
}

const filesAt = (repo: TestRepo, rev: string) => repo.git('ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean);
/** `git status` outside the session workspace, which specmap itself writes to. */
const userStatus = (repo: TestRepo) => repo.git('status', '--porcelain=v1', '-uall').split('\n').filter((l) => !l.includes('04-agents/sessions/')).join('\n');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('specmap checkpoint', () => {
  it('commits every change since the base without touching index, HEAD, stash or working tree', async () => {
    const { repo, o, yaml } = await started();
    repo.write('.gitignore', `${readFileSync(join(repo.dir, '.gitignore'), 'utf8')}secret.env\n`);
    repo.write('src/main.js', "console.log('staged');\n");
    repo.git('add', 'src/main.js');
    repo.write('src/main.js', "console.log('staged then edited');\n");
    repo.write('README.md', '# unstaged edit\n');
    repo.write('src/auth.js', 'export const auth = 1;\n');
    repo.write('secret.env', 'TOKEN=1\n');
    repo.write('04-agents/backups/sessions/old-backup.zip', 'not really a zip');
    repo.git('stash', 'list');
    const head = repo.git('rev-parse', 'HEAD');
    const before = {
      index: sha(join(repo.dir, '.git/index')),
      status: userStatus(repo),
      staged: repo.git('diff', '--cached'),
      unstaged: repo.git('diff'),
      main: readFileSync(join(repo.dir, 'src/main.js')),
    };

    const r = await ok(['checkpoint', '@', 'Auth implemented', '--json'], { ...o, now: '2025-10-25T15:00:00' });
    const cp = JSON.parse(r.stdout);
    expect(cp.checkpoint_id).toBe('checkpoint-001-15-00-00');

    expect(sha(join(repo.dir, '.git/index'))).toBe(before.index);
    expect(userStatus(repo)).toBe(before.status);
    expect(repo.git('diff', '--cached')).toBe(before.staged);
    expect(repo.git('diff')).toBe(before.unstaged);
    expect(readFileSync(join(repo.dir, 'src/main.js'))).toEqual(before.main);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(repo.git('stash', 'list')).toBe('');

    // The commit holds the working tree as it is now: edits, the new file; not ignored files, ZIPs or session.yaml.
    expect(repo.git('rev-parse', REF)).toBe(cp.commit);
    expect(repo.git('rev-parse', `${cp.commit}^`)).toBe(head);
    expect(repo.git('show', `${cp.commit}:src/main.js`)).toBe("console.log('staged then edited');");
    expect(repo.git('show', `${cp.commit}:README.md`)).toBe('# unstaged edit');
    const files = filesAt(repo, cp.commit);
    expect(files).toContain('src/auth.js');
    expect(files).not.toContain('secret.env');
    expect(files.some((f) => f.startsWith('04-agents/backups/'))).toBe(false);
    expect(files.some((f) => f.endsWith('/session.yaml'))).toBe(false);
    expect(cp.files.map((f: { path: string }) => f.path)).toEqual(
      repo.git('diff', '--name-only', head, cp.commit).split('\n'),
    );

    // Plain git tells the story: message trailers, an annotated tag, a clean fsck.
    const message = repo.git('log', '-1', '--format=%B', REF);
    expect(message).toBe(`Auth implemented\n\nSession-Id: ${ID}\nCheckpoint-Id: checkpoint-001-15-00-00\nAgent: claude`);
    expect(repo.git('tag', '-l', 'checkpoints/*')).toBe(`checkpoints/${ID}/checkpoint-001-15-00-00`);
    expect(repo.git('cat-file', '-t', `refs/tags/checkpoints/${ID}/checkpoint-001-15-00-00`)).toBe('tag');
    expect(repo.git('rev-parse', `checkpoints/${ID}/checkpoint-001-15-00-00^{commit}`)).toBe(cp.commit);
    repo.git('fsck', '--strict', '--no-dangling');

    const entry = yaml().checkpoints[0];
    expect(entry).toEqual({
      id: 'checkpoint-001-15-00-00', time: '15:00:00', description: 'Auth implemented',
      files_snapshot: cp.files.map((f: { path: string }) => f.path), commit: cp.commit,
    });
    const manifest = parse(readFileSync(join(repo.dir, '04-agents/sessions/active', ID, 'snapshots/checkpoint-001-15-00-00.yaml'), 'utf8'));
    expect(manifest.git).toMatchObject({ commit: cp.commit, parent: head });
    expect(manifest.files).toContainEqual({ path: 'src/auth.js', status: 'added' });
  });

  it('records deletions and chains checkpoints, each diff being exactly what changed', async () => {
    const { repo, o } = await started();
    repo.write('src/a.js', 'a\n');
    const one = JSON.parse((await ok(['checkpoint', '@', 'one', '--json'], o)).stdout);
    repo.git('rm', '-q', 'src/main.js');
    repo.write('src/a.js', 'a2\n');
    const two = JSON.parse((await ok(['checkpoint', '@', 'two', '--json'], o)).stdout);
    expect(two.parent).toBe(one.commit);
    expect(two.checkpoint_id).toMatch(/^checkpoint-002-/);
    expect(repo.git('diff', '--name-status', one.commit, two.commit)).toBe('M\tsrc/a.js\nD\tsrc/main.js');
    expect(two.files).toEqual([{ path: 'src/a.js', status: 'modified' }, { path: 'src/main.js', status: 'deleted' }]);
    expect(repo.git('rev-list', '--count', `${repo.git('rev-parse', 'HEAD')}..${REF}`)).toBe('2');
  });

  it('with files named, updates only those (folders expand, deletions count)', async () => {
    const { repo, o } = await started();
    repo.write('src/auth.js', 'auth\n');
    repo.write('src/lib/x.js', 'x\n');
    repo.write('notes.txt', 'not this one\n');
    repo.write('src/main.js', 'changed but not named\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'Bug fix', 'src/auth.js', 'src/lib', '--json'], o)).stdout);
    expect(cp.files).toEqual([{ path: 'src/auth.js', status: 'added' }, { path: 'src/lib/x.js', status: 'added' }]);
    expect(filesAt(repo, cp.commit)).toEqual(['README.md', 'src/auth.js', 'src/lib/x.js', 'src/main.js']);
    expect(repo.git('show', `${cp.commit}:src/main.js`)).toBe("console.log('hi');");

    // Named from a subfolder, relative to it; a deleted named file is removed from the tree.
    repo.git('rm', '-q', '--cached', 'src/main.js');
    const { rmSync } = await import('node:fs');
    rmSync(join(repo.dir, 'src/main.js'));
    const del = JSON.parse((await ok(['checkpoint', ID, 'remove main', 'main.js', '--json'], { ...o, cwd: join(repo.dir, 'src') })).stdout);
    expect(del.files).toEqual([{ path: 'src/main.js', status: 'deleted' }]);
    expect(filesAt(repo, del.commit)).toEqual(['README.md', 'src/auth.js', 'src/lib/x.js']);
  });

  it("reuses git's stat cache: an unchanged-looking file is not re-read", async () => {
    // Proof by trickery: rewrite a file with same-size content and put its mtime back. With ctime ignored
    // (core.trustctime=false), git's stat data says "unchanged", so a checkpoint that reuses the cache keeps the
    // old blob; one that re-hashed every file would pick up the new bytes.
    const repo = makeRepo();
    repo.git('config', 'core.trustctime', 'false');
    const { utimesSync } = await import('node:fs');
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(repo.dir, 'README.md'), old, old);
    repo.git('update-index', '--refresh');
    const { o } = await started(repo);
    repo.write('README.md', '# TEST PROJECT\n');
    utimesSync(join(repo.dir, 'README.md'), old, old);
    repo.write('other.txt', 'a real change\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'cached', '--json'], o)).stdout);
    expect(repo.git('show', `${cp.commit}:README.md`)).toBe('# test project');
    expect(repo.git('show', `${cp.commit}:other.txt`)).toBe('a real change');
  });

  it('starts from the index the previous checkpoint left, only while it matches the ref, and drops it at the end', async () => {
    const repo = makeRepo();
    repo.git('config', 'core.trustctime', 'false');
    const { o } = await started(repo);
    const { readdirSync, utimesSync } = await import('node:fs');
    const saved = () => readdirSync(join(repo.dir, '.git/specmap/index')).sort();
    repo.write('a.txt', 'first\n');
    const cp1 = JSON.parse((await ok(['checkpoint', '@', 'one', '--json'], o)).stdout);
    // Beside it, the list of its tracked files the secrets rules match (none here).
    expect(saved()).toEqual([`${ID}.${repo.git('rev-parse', `${cp1.commit}^{tree}`)}`, `${ID}.${repo.git('rev-parse', `${cp1.commit}^{tree}`)}.skip`]);

    // Same size, mtime put back: only an index that already holds a.txt's stat data from checkpoint one (the saved
    // one; the user's index has no a.txt) can take the file as unchanged.
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(repo.dir, 'a.txt'), old, old);
    const cp1b = JSON.parse((await ok(['checkpoint', '@', 'touch', '--allow-empty', '--json'], o)).stdout);
    repo.write('a.txt', 'FIRST\n');
    utimesSync(join(repo.dir, 'a.txt'), old, old);
    repo.write('b.txt', 'real change\n');
    const cp2 = JSON.parse((await ok(['checkpoint', '@', 'two', '--json'], o)).stdout);
    expect(cp2.files.map((f: { path: string }) => f.path)).toEqual(['b.txt']);
    expect(repo.git('show', `${cp2.commit}:a.txt`)).toBe('first');

    // The ref moved behind specmap's back: the saved index is for another tree, so the snapshot starts over from
    // the ref's tree and the user's index, and sees a.txt as it really is.
    repo.git('update-ref', REF, cp1b.commit);
    repo.write('c.txt', 'c\n');
    const cp3 = JSON.parse((await ok(['checkpoint', '@', 'three', '--json'], o)).stdout);
    expect(repo.git('show', `${cp3.commit}:a.txt`)).toBe('FIRST');
    // Beside it, the list of its tracked files the secrets rules match (none here).
    expect(saved()).toEqual([`${ID}.${repo.git('rev-parse', `${cp3.commit}^{tree}`)}`, `${ID}.${repo.git('rev-parse', `${cp3.commit}^{tree}`)}.skip`]);

    await ok(['end', '@', '--no-backup'], o);
    expect(saved()).toEqual([]);
    // Of the parsed session.yaml copies, only the archived one is left.
    expect(readdirSync(join(repo.dir, '.git/specmap/parsed'))).toEqual([`archive-${ID}.json`]);
  });

  it('refuses to write an empty checkpoint unless asked', async () => {
    const { repo, o, yaml } = await started();
    // Right after start the new workspace files (README.md, summary.md) and .gitignore are the change.
    const first = JSON.parse((await ok(['checkpoint', '@', 'set-up', '--json'], o)).stdout);
    expect(first.files.map((f: { path: string }) => f.path)).toContain('.gitignore');
    const r = await runCli(['checkpoint', '@', 'nothing yet'], o);
    expect(r.code).toBe(8);
    expect(oneLineError(r)).toMatch(/nothing changed in the working tree since checkpoint-001-\S+ \(use --allow-empty/);
    const again = await runCli(['checkpoint', '@', 'still nothing', 'README.md'], o);
    expect(again.code).toBe(8);
    expect(oneLineError(again)).toMatch(/nothing changed in README\.md since checkpoint-001-/);
    expect(repo.git('rev-parse', REF)).toBe(first.commit);
    expect(repo.git('tag', '-l').split('\n')).toHaveLength(1);
    expect(yaml().checkpoints).toHaveLength(1);
    const forced = JSON.parse((await ok(['checkpoint', '@', 'marker', '--allow-empty', '--json'], o)).stdout);
    expect(forced.files).toEqual([]);
    expect(repo.git('rev-parse', `${forced.commit}^{tree}`)).toBe(repo.git('rev-parse', `${first.commit}^{tree}`));
    expect(yaml().checkpoints).toHaveLength(2);
  });

  it('works in a repository with no commits and without a git identity', async () => {
    const repo = makeRepo({ commit: false, identity: false });
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'first steps'], o);
    repo.write('hello.txt', 'hi\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'hello', '--json'], o)).stdout);
    expect(repo.git('log', '-1', '--format=%an <%ae>', cp.commit)).toBe('specmap <specmap@localhost>');
    expect(filesAt(repo, cp.commit)).toContain('hello.txt');
    expect(() => repo.git('rev-parse', '--verify', '-q', 'HEAD')).toThrow();
  });

  it.each([
    [['../outside.txt'], 5, /outside the project/],
    [['04-agents/backups/sessions/x.zip'], 5, /managed by specmap/],
    [['no-such-file.txt'], 5, /no-such-file\.txt: no such file/],
    [['ignored.log'], 5, /ignored by \.gitignore/],
  ])('refuses %j with a clear error and changes nothing', async (files, code, message) => {
    const { repo, o, yaml } = await started();
    repo.write('.gitignore', `${readFileSync(join(repo.dir, '.gitignore'), 'utf8')}*.log\n`);
    repo.write('ignored.log', 'x\n');
    const r = await runCli(['checkpoint', '@', 'bad', ...files], o);
    expect(r.code).toBe(code);
    expect(oneLineError(r)).toMatch(message);
    expect(repo.git('rev-parse', REF)).toBe(repo.git('rev-parse', 'HEAD'));
    expect(yaml().checkpoints).toEqual([]);
  });

  it('refuses an empty description and an archived session', async () => {
    const { repo, o } = await started();
    expect((await runCli(['checkpoint', '@', '  '], o)).code).toBe(5);
    repo.write('x.txt', 'x\n');
    await ok(['end', '@'], o);
    const r = await runCli(['checkpoint', ID, 'late'], o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/already completed/);
  });

  it('summarises a large checkpoint like git commit: counts and the first ten names; --verbose lists them all', async () => {
    const { repo, o } = await started();
    for (let i = 0; i < 30; i++) repo.write(`gen/file-${String(i).padStart(2, '0')}.txt`, `${i}\n`);
    repo.write('src/main.js', 'changed\n');
    const r = await ok(['checkpoint', '@', 'generated'], { ...o, now: '2025-10-25T15:00:00' });
    const line = r.stdout.split('\n').find((l) => l.startsWith('📁'))!;
    // 30 generated files, the workspace's README.md and summary.md, .gitignore, and main.js.
    expect(line).toMatch(/^📁 Files snapshotted: 34 files \(33 added, 1 modified\): .*, … and 24 more \(--verbose lists them all\)$/);
    expect(line.length).toBeLessThan(400);
    for (let i = 0; i < 30; i++) repo.write(`gen/file-${String(i).padStart(2, '0')}.txt`, `${i} again\n`);
    const all = await ok(['checkpoint', '@', 'again', '--verbose'], { ...o, now: '2025-10-25T15:01:00' });
    const listed = all.stdout.split('\n').find((l) => l.startsWith('📁'))!;
    for (let i = 0; i < 30; i++) expect(listed).toContain(`gen/file-${String(i).padStart(2, '0')}.txt`);
  });
});
