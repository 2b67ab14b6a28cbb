import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { listZip } from '../../src/storage/zip/reader.js';
import { pathBytes, pathText, pathWithin, shellWord } from '../../src/shared/path-text.js';

/** What a folder holds, as git would compare it: every file and link by raw name, with bytes/target and the x bit. */
type Snapshot = Map<string, string>;

function snapshotDir(root: string, skip: (rel: string) => boolean = () => false): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: Buffer, prefix: Buffer) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const rel = Buffer.concat([prefix, name]);
      const relText = rel.toString('latin1');
      if (relText === '.git' || skip(relText)) continue;
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, Buffer.concat([rel, Buffer.from('/')]));
      else if (st.isSymbolicLink()) out.set(relText, `link:${readlinkSync(p, { encoding: 'buffer' }).toString('hex')}`);
      else out.set(relText, `${st.mode & 0o100 ? 'x' : '-'}:${readFileSync(p).toString('hex')}`);
    }
  };
  walk(Buffer.from(root), Buffer.alloc(0));
  return out;
}

/** The files `git checkout` of `commit` writes, in a linked worktree of its own (removed again). */
function gitCheckout(repo: TestRepo, commit: string): Snapshot {
  const dir = join(scratch('specmap-ref-'), 'wt');
  repo.git('worktree', 'add', '-q', '--detach', dir, commit);
  const snap = snapshotDir(dir, (rel) => rel === '.git');
  repo.git('worktree', 'remove', '--force', dir);
  return snap;
}

const projectOnly = (rel: string) => rel === '04-agents' || rel.startsWith('04-agents/') || rel === 'TRACKING.md';
const only = (snap: Snapshot, keep: (k: string) => boolean) => new Map([...snap].filter(([k]) => keep(k)));

const CAFE = Buffer.from('caf\xe9.txt', 'latin1');
const rawPath = (repo: TestRepo, name: Buffer) => Buffer.concat([Buffer.from(`${repo.dir}/`), name]);

async function started(repo: TestRepo) {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'fidelity'], o);
  return o;
}

function pruneGit(repo: TestRepo) {
  for (const ref of repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions', 'refs/tags/checkpoints', 'refs/specmap').split('\n').filter(Boolean)) {
    repo.git('update-ref', '-d', ref);
  }
  repo.git('reflog', 'expire', '--expire=now', '--all');
  repo.git('gc', '-q', '--prune=now');
}

describe('line endings and attributes', () => {
  it('gives back exactly what git checkout writes under core.autocrlf and .gitattributes: folder, in place, and from the ZIP after gc', async () => {
    const repo = makeRepo();
    repo.git('config', 'core.autocrlf', 'true');
    const o = await started(repo);
    repo.write('.gitattributes', '*.bin -text\nlf.txt eol=lf\ncrlf.txt eol=crlf\n');
    repo.write('win.txt', 'one\r\ntwo\r\n');
    repo.write('mixed.txt', 'a\r\nb\nc\r\n');
    repo.write('lf.txt', 'x\r\ny\n');
    repo.write('crlf.txt', 'p\nq\n');
    repo.write('data.bin', Buffer.from('r\r\n\0\xff', 'latin1'));
    const cp = JSON.parse((await ok(['checkpoint', '@', 'endings', '--json'], o)).stdout);
    const want = only(gitCheckout(repo, cp.commit), (k) => !projectOnly(k));
    expect(want.get('win.txt')).toBe(`-:${Buffer.from('one\r\ntwo\r\n').toString('hex')}`); // the fixture means something

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--json'], o)).stdout);
    const folder = snapshotDir(join(repo.dir, r.destination));
    const listed = cp.files.map((x: { path: string }) => x.path).filter((f: string) => !projectOnly(f));
    expect(listed).toContain('win.txt');
    for (const f of listed) expect(folder.get(f)).toBe(want.get(f));

    for (const f of ['win.txt', 'mixed.txt', 'lf.txt', 'crlf.txt', 'data.bin']) repo.write(f, 'clobbered\n');
    const back = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place', '--json'], o)).stdout);
    expect(back.written).toEqual(['crlf.txt', 'data.bin', 'lf.txt', 'mixed.txt', 'win.txt']);
    const now = snapshotDir(repo.dir);
    for (const f of back.written) expect(now.get(f)).toBe(want.get(f));

    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    const zipped = new Map((await listZip(join(repo.dir, ended.backup.path))).map((e) => [e.name, e]));
    expect(zipped.get(`snapshots/${cp.checkpoint_id}/win.txt`)?.size).toBe(10); // working-tree bytes, CRLF kept
    pruneGit(repo);
    const id = cp.session_id;
    const z = JSON.parse((await ok(['restore', '--restore-checkpoint', id, cp.checkpoint_id, '--force', '--json'], o)).stdout);
    expect(z.source).toBe('zip');
    const fromZip = snapshotDir(join(repo.dir, z.destination));
    for (const f of listed) expect(fromZip.get(f)).toBe(want.get(f));
  });
});

describe('file names git can hold', () => {
  it('restores names with a newline, a tab, a backslash, a leading dash and non-UTF-8 bytes, and never touches a look-alike', async () => {
    const repo = makeRepo();
    const o = await started(repo);
    const names = [Buffer.from('new\nline.txt'), Buffer.from('tab\there.txt'), Buffer.from('back\\slash.txt'), Buffer.from('-dash.txt'), CAFE];
    for (const n of names) writeFileSync(rawPath(repo, n), Buffer.concat([Buffer.from('content of '), n]));
    // The UTF-8 spelling a decode-and-re-encode would turn caf\xe9.txt into: a different file, never to be touched.
    const lookalike = Buffer.from('caf\xef\xbf\xbd.txt', 'latin1');
    writeFileSync(rawPath(repo, lookalike), 'not yours\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'names', '--json'], o)).stdout);
    expect(cp.files.map((f: { path: string }) => f.path)).toContain('"caf\\351.txt"');
    const want = gitCheckout(repo, cp.commit);

    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--json'], o)).stdout);
    const folder = snapshotDir(join(repo.dir, r.destination));
    for (const n of names) expect(folder.get(n.toString('latin1'))).toBe(want.get(n.toString('latin1')));

    for (const n of names) rmSync(rawPath(repo, n));
    const back = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place', '--json'], o)).stdout);
    for (const n of names) expect(readFileSync(rawPath(repo, n))).toEqual(Buffer.concat([Buffer.from('content of '), n]));
    expect(readFileSync(rawPath(repo, lookalike), 'utf8')).toBe('not yours\n');
    expect(back.written).toContain('"caf\\351.txt"');
    expect(back.deleted, JSON.stringify(back)).toEqual([]);

    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    const entries = await listZip(join(repo.dir, ended.backup.path));
    const cafe = entries.find((e) => e.raw.equals(Buffer.concat([Buffer.from(`snapshots/${cp.checkpoint_id}/`), CAFE])));
    expect(cafe).toBeDefined();
    // Raw bytes in the archive; `unzip -Z` agrees the entry has the name's bytes, not a UTF-8 re-encoding.
    const listing = execFileSync('unzip', ['-Z1', join(repo.dir, ended.backup.path)]);
    expect(listing.includes(Buffer.concat([Buffer.from(`snapshots/${cp.checkpoint_id}/`), CAFE, Buffer.from('\n')]))).toBe(true);
  });

  it('ends a session whose workspace holds a non-UTF-8 name, and its ZIP gives the name back byte for byte', async () => {
    const repo = makeRepo();
    const o = await started(repo);
    const ws = JSON.parse((await ok(['list', '--json'], o)).stdout).sessions[0];
    const note = Buffer.concat([Buffer.from(`${repo.dir}/04-agents/sessions/active/${ws.session_id}/notes/`), CAFE]);
    writeFileSync(note, 'a note\n');
    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    const entries = await listZip(join(repo.dir, ended.backup.path));
    expect(entries.some((e) => e.raw.equals(Buffer.concat([Buffer.from('notes/'), CAFE])))).toBe(true);
    const r = JSON.parse((await ok(['restore', '--restore-backup', ws.session_id, '--json'], o)).stdout);
    expect(readFileSync(Buffer.concat([Buffer.from(`${repo.dir}/${r.destination}notes/`), CAFE]), 'utf8')).toBe('a note\n');
  });

  it('compares folders by bytes, whether a name is plain or quoted', () => {
    expect(pathWithin('"dir/caf\\351.txt"', 'dir')).toBe(true);
    expect(pathWithin('dir', '"dir"')).toBe(true);
    expect(pathWithin('"dirx/caf\\351.txt"', 'dir')).toBe(false);
    expect(pathWithin('dir-other/a', 'dir')).toBe(false);
    expect(pathWithin('dir/a', 'dir')).toBe(true);
  });

  it('keeps the text form of a name lossless (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((b) => !b.includes(0)), (bytes) => {
      const buf = Buffer.from(bytes);
      expect(pathBytes(pathText(buf))).toEqual(buf);
      const shell = execFileSync('bash', ['-c', `printf %s ${shellWord(buf)}`]);
      expect(shell).toEqual(buf);
    }), { numRuns: 60, seed: 1515 });
  });
});

describe('in-place restores', () => {
  it('are all or nothing: a refused restore writes no file and no safety checkpoint', async () => {
    const repo = makeRepo();
    const o = await started(repo);
    repo.write('dir/x.txt', 'x v1\n');
    repo.write('other.txt', 'other v1\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'v1', '--json'], o)).stdout);
    repo.write('.gitignore', 'dir\n');
    rmSync(join(repo.dir, 'dir'), { recursive: true });
    repo.write('dir', 'an ignored file where a folder must go\n');
    repo.write('other.txt', 'other v2\n');
    const before = repo.git('for-each-ref', '--format=%(refname) %(objectname)');
    const r = await runCli(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place'], o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toMatch(/cannot restore dir\/x\.txt: dir is a file .*nothing was changed/);
    expect(readFileSync(join(repo.dir, 'other.txt'), 'utf8')).toBe('other v2\n');
    expect(repo.git('for-each-ref', '--format=%(refname) %(objectname)')).toBe(before);
    expect(readdirSync(join(repo.dir, '.git/specmap')).filter((f) => f.startsWith('restore.'))).toEqual([]);
  });

  it('remove only files a later checkpoint held: never an untracked file no checkpoint took, an ignored file or another session\'s work', async () => {
    const repo = makeRepo();
    repo.write('.gitignore', '*.log\n');
    repo.commitAll('ignore logs');
    const o = await started(repo);
    repo.write('kept.txt', 'v1\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'v1', '--json'], o)).stdout);
    repo.write('added-later.txt', 'checkpointed after v1\n');
    await ok(['checkpoint', '@', 'v2'], o);
    repo.write('never-checkpointed.txt', 'lying untracked: no checkpoint ever held it\n');
    repo.write('debug.log', 'ignored\n');
    repo.write('kept.txt', 'v2, not checkpointed\n');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place', '--json'], o)).stdout);
    expect(r.deleted).toEqual(['added-later.txt']);
    expect(existsSync(join(repo.dir, 'debug.log'))).toBe(true);
    expect(readFileSync(join(repo.dir, 'never-checkpointed.txt'), 'utf8')).toBe('lying untracked: no checkpoint ever held it\n');
    expect(readFileSync(join(repo.dir, 'kept.txt'), 'utf8')).toBe('v1\n');
    // The safety checkpoint holds what the restore overwrote or removed, not the file it left alone.
    expect(repo.git('show', `${r.safety.commit}:kept.txt`)).toBe('v2, not checkpointed');
    expect(repo.git('ls-tree', '--name-only', r.safety.commit)).not.toContain('never-checkpointed.txt');
    await ok(r.safety.undo.split(' ').slice(1), o);
    expect(readFileSync(join(repo.dir, 'kept.txt'), 'utf8')).toBe('v2, not checkpointed\n');
    expect(readFileSync(join(repo.dir, 'added-later.txt'), 'utf8')).toBe('checkpointed after v1\n');
    expect(readFileSync(join(repo.dir, 'never-checkpointed.txt'), 'utf8')).toBe('lying untracked: no checkpoint ever held it\n');
  });

  it('bring symbolic links back as links, a target outside the project unchanged and not followed', async () => {
    const repo = makeRepo();
    const outside = scratch('specmap-outside-');
    const o = await started(repo);
    symlinkSync(outside, join(repo.dir, 'out-link'));
    symlinkSync('src/main.js', join(repo.dir, 'in-link'));
    const cp = JSON.parse((await ok(['checkpoint', '@', 'links', '--json'], o)).stdout);
    rmSync(join(repo.dir, 'out-link'));
    writeFileSync(join(repo.dir, 'in-link'), 'a file now\n');
    await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place'], o);
    expect(readlinkSync(join(repo.dir, 'out-link'))).toBe(outside);
    expect(readlinkSync(join(repo.dir, 'in-link'))).toBe('src/main.js');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--json'], o)).stdout);
    expect(readlinkSync(join(repo.dir, r.destination, 'out-link'))).toBe(outside);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('print an undo command a shell runs as it is, with quoted paths after --', async () => {
    const repo = makeRepo();
    const o = await started(repo);
    repo.write("-it's a file.txt", 'v1\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'v1', '--json'], o)).stdout);
    repo.write("-it's a file.txt", 'v2\n');
    const r = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place', '--json', '--', "-it's a file.txt"], o)).stdout);
    expect(r.safety.undo).toContain(` --in-place -- '-it'\\''s a file.txt'`);
    const { CLI } = await import('../support/cli.js');
    execFileSync('bash', ['-c', `specmap() { "${process.execPath}" "${CLI}" "$@"; }; ${r.safety.undo}`], { cwd: repo.dir, env: repo.env });
    expect(readFileSync(join(repo.dir, "-it's a file.txt"), 'utf8')).toBe('v2\n');
  });
});

describe('round trip (property, seeded)', () => {
  const NAMES = ['a.txt', 'dir/b.txt', 'dir/sub/c.md', 'new\nline', 'tab\tname', 'back\\slash', '-lead', 'space name.txt', 'caf\xe9.txt', 'emoji-\u{1F600}.txt', 'empty'];
  const CONTENTS = ['', 'lf\nonly\n', 'crlf\r\nonly\r\n', 'mixed\r\nand\nso\r\n', 'no newline', '\0binary\xff\r\n'];
  const file = fc.record({
    name: fc.constantFrom(...NAMES),
    content: fc.constantFrom(...CONTENTS),
    exec: fc.boolean(),
    link: fc.boolean(),
  });
  const scenario = fc.record({
    autocrlf: fc.constantFrom('false', 'true', 'input'),
    attributes: fc.constantFrom('', '* text=auto\n', '*.txt eol=crlf\n*.md -text\n', '*.txt text eol=lf\n'),
    files: fc.uniqueArray(file, { minLength: 1, maxLength: 6, selector: (f) => f.name }),
    mutate: fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('delete', 'edit')), { maxLength: 4 }),
  });
  const bytesOf = (name: string) => Buffer.from(name, name.includes('\xe9') ? 'latin1' : 'utf8');

  it('checkpoint → mutate → restore (in place, to a folder, from the ZIP after gc) equals git checkout of the commit', async () => {
    await fc.assert(fc.asyncProperty(scenario, async (s) => {
      const repo = makeRepo();
      // A submodule gitlink in the base commit, unpopulated (an empty folder), as after a plain clone.
      repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.git('rev-parse', 'HEAD')},vendor/sub`);
      mkdirSync(join(repo.dir, 'vendor/sub'), { recursive: true });
      repo.git('commit', '-q', '-m', 'submodule');
      repo.git('config', 'core.autocrlf', s.autocrlf);
      const o = await started(repo);
      if (s.attributes) repo.write('.gitattributes', s.attributes);
      for (const f of s.files) {
        const p = rawPath(repo, bytesOf(f.name));
        mkdirSync(p.subarray(0, p.lastIndexOf(0x2f)), { recursive: true });
        if (f.link) symlinkSync(`../target-of-${f.name.length}`, p);
        else {
          writeFileSync(p, Buffer.from(f.content, 'latin1'));
          if (f.exec) chmodSync(p, 0o755);
        }
      }
      const cp = JSON.parse((await ok(['checkpoint', '@', 'random tree', '--json'], o)).stdout);
      const want = only(gitCheckout(repo, cp.commit), (k) => !projectOnly(k));
      const listed = (cp.files as { path: string }[]).map((f) => pathBytes(f.path).toString('latin1')).filter((f) => !projectOnly(f));

      for (const [name, how] of s.mutate) {
        const p = rawPath(repo, bytesOf(name));
        if (how === 'delete') rmSync(p, { force: true, recursive: true });
        else if (!existsSync(p) || !lstatSync(p).isDirectory()) {
          mkdirSync(p.subarray(0, p.lastIndexOf(0x2f)), { recursive: true });
          rmSync(p, { force: true });
          writeFileSync(p, 'mutated\n');
        }
      }
      const before = only(snapshotDir(repo.dir), (k) => !projectOnly(k));
      const inPlace = await runCli(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--in-place', '--json'], o);
      const written = new Set<string>(inPlace.code === 0 ? JSON.parse(inPlace.stdout).written.map((p: string) => pathBytes(p).toString('latin1')) : []);
      if (inPlace.code !== 0) expect(inPlace.code).toBe(8); // nothing to do: nothing differed
      const after = only(snapshotDir(repo.dir), (k) => !projectOnly(k));
      // Exactly the checkpoint's files, plus the files the mutation made that no checkpoint held (never deleted);
      // each one written is what git checkout writes; the others were left as they were, which git counts as
      // unchanged (same blob and mode), as a checkout in an existing tree does.
      const neverHeld = [...before.keys()].filter((k) => !want.has(k));
      expect([...after.keys()].sort()).toEqual([...want.keys(), ...neverHeld].sort());
      for (const [k, v] of after) expect(v).toBe(written.has(k) ? want.get(k) : before.get(k));
      for (const [name] of s.mutate) {
        const k = bytesOf(name).toString('latin1');
        if (want.has(k) && before.get(k) !== want.get(k) && !written.has(k)) {
          expect(repo.git('hash-object', '--path', name, '--', name)).toBe(repo.git('rev-parse', `${cp.commit}:${name}`));
        }
      }
      expect(lstatSync(join(repo.dir, 'vendor/sub')).isDirectory()).toBe(true);

      const folder = JSON.parse((await ok(['restore', '--restore-checkpoint', '@', cp.checkpoint_id, '--json'], o)).stdout);
      const restored = snapshotDir(join(repo.dir, folder.destination));
      for (const f of listed) expect(restored.get(f)).toBe(want.get(f));

      const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
      pruneGit(repo);
      expect(ended.backup.path).toMatch(/-backup\.zip$/);
      const z = JSON.parse((await ok(['restore', '--restore-checkpoint', cp.session_id, cp.checkpoint_id, '--force', '--json'], o)).stdout);
      expect(z.source).toBe('zip');
      const fromZip = snapshotDir(join(repo.dir, z.destination));
      for (const f of listed) expect(fromZip.get(f)).toBe(want.get(f));
    }), { numRuns: Number(process.env.FIDELITY_RUNS ?? 6), seed: 15 });
  }, 600_000);
});
