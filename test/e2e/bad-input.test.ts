import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, scratch, isolatedEnv, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { writeRawZip } from '../support/zip-fixtures.js';

/**
 * Hostile and odd input, table-driven. Every failing case must exit with its code, print one readable line on
 * stderr (no stack trace), and leave the working tree, the index and every ref exactly as they were.
 */

/** Everything a failed command could have touched: files (with content), the index and the refs. */
function stateOf(repo: TestRepo): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const rel = relative(repo.dir, p);
      if (rel === '.git') continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) { h.update(`link ${rel} ${readlinkSync(p)}\n`); continue; }
      if (st.isDirectory()) { h.update(`dir ${rel}\n`); walk(p); } else h.update(`file ${rel} ${createHash('sha256').update(readFileSync(p)).digest('hex')}\n`);
    }
  };
  walk(repo.dir);
  h.update(readFileSync(join(repo.dir, '.git/index')));
  h.update(repo.git('for-each-ref', '--format=%(objectname) %(refname)'));
  return h.digest('hex');
}

const ID = '2025-10-25-session-001-work';
const WS = `04-agents/sessions/active/${ID}`;

async function project(): Promise<TestRepo> {
  const repo = makeRepo();
  await ok(['start', 'work'], { cwd: repo.dir, env: repo.env, now: '2025-10-25T10:00:00' });
  repo.write('x.txt', 'x\n');
  return repo;
}

type Case = [label: string, args: string[], code: number, stderr: RegExp, setup?: (repo: TestRepo) => void];

const long = 'a'.repeat(10_000);
const cases: Case[] = [
  // Session and checkpoint references
  ['session id with ..', ['show', '../etc'], 5, /invalid session/],
  ['session id with /', ['show', 'a/b'], 5, /invalid session/],
  ['session id with a newline', ['show', 'x\ny'], 5, /invalid session/],
  ['10 kB session id', ['show', long], 5, /invalid session/],
  ['unknown session', ['show', '2030-01-01-session-001'], 4, /no session matches/],
  ['checkpoint id with ..', ['show', `${ID}:../../x`], 5, /invalid checkpoint reference/],
  ['checkpoint id with /', ['restore', '--restore-checkpoint', ID, 'a/b'], 5, /invalid checkpoint reference/],
  ['10 kB checkpoint id', ['show', `${ID}:${long}`], 5, /invalid checkpoint reference/],
  ['unknown checkpoint', ['restore', '--restore-checkpoint', ID, 'checkpoint-042'], 4, /no checkpoint matches 'checkpoint-042'/],
  ['track into a session id with ..', ['track', '..', 'x.txt', 'created'], 5, /invalid session/],
  // Focus and agent
  ['empty focus', ['start', ''], 5, /focus is empty/],
  ['all-emoji focus', ['start', '🚀🔥✨'], 5, /no letters or digits/],
  ['right-to-left focus', ['start', 'שלום עולם'], 5, /no letters or digits/],
  ['10 kB focus', ['start', long], 5, /limit is 500/],
  ['focus with a newline', ['start', 'two\nlines'], 5, /control characters/],
  ['agent with shell characters', ['start', 'ok focus', 'rm -rf /;'], 5, /agent/],
  ['metadata without =', ['start', 'ok focus', '--meta', 'noequals'], 2, /--meta takes key=value/],
  // Scores
  ['score 11', ['end', ID, '11'], 5, /0 to 10/],
  ['score -1', ['end', ID, '-1'], 5, /0 to 10/],
  ['score NaN', ['end', ID, 'NaN'], 5, /0 to 10/],
  ['score 1e309', ['end', ID, '1e309'], 5, /0 to 10/],
  ['score with two dots', ['end', ID, '8.5.1'], 5, /0 to 10/],
  ['empty score', ['end', ID, ''], 5, /0 to 10/],
  // Paths
  ['file outside the repo', ['track', ID, '../outside.txt', 'created'], 5, /outside the project/],
  ['absolute path outside', ['track', ID, '/etc/passwd', 'modified'], 5, /outside the project/],
  ['symlink pointing out of the repo', ['track', ID, 'link-out/file.txt', 'created'], 5, /through a symlink/, (r) => symlinkSync('/tmp', join(r.dir, 'link-out'))],
  ['path inside .git', ['track', ID, '.git/config', 'modified'], 5, /inside \.git/],
  ['path with a newline', ['track', ID, 'new\nline.txt', 'created'], 5, /line break/],
  ['unknown track action', ['track', ID, 'x.txt', 'deleted'], 2, /Allowed choices are created, modified/],
  ['checkpoint of a file outside', ['checkpoint', ID, 'desc', '/etc/hosts'], 5, /outside the project/],
  ['empty checkpoint description', ['checkpoint', ID, '   '], 5, /description is empty/],
  // Broken session files
  ['garbage session.yaml', ['show', ID], 6, /session\.yaml:\d+: invalid YAML|session\.yaml: /, (r) => writeFileSync(join(r.dir, WS, 'session.yaml'), '{[}: :\n  - ]')],
  ['empty session.yaml', ['show', ID], 6, /session\.yaml: not a session file/, (r) => writeFileSync(join(r.dir, WS, 'session.yaml'), '')],
  ['session.yaml with a list for session', ['show', ID], 6, /missing "session:" section/, (r) => writeFileSync(join(r.dir, WS, 'session.yaml'), 'session:\n  - a\n')],
  ['checkpoint on a broken session.yaml', ['checkpoint', ID, 'x'], 6, /session\.yaml/, (r) => writeFileSync(join(r.dir, WS, 'session.yaml'), 'session: [\n')],
  // Broken ZIPs
  ['truncated ZIP', ['restore', '--restore-backup', 'zz'], 6, /corrupt/, (r) => { mkdirSync(join(r.dir, '04-agents/backups/sessions'), { recursive: true }); writeFileSync(join(r.dir, '04-agents/backups/sessions/zz-backup.zip'), Buffer.from('PK\x03\x04 truncated')); }],
  ['ZIP with ../ entries', ['restore', '--restore-backup', 'zz'], 6, /unsafe name \(it has a '\.\.' component\)/, (r) => zip(r, [{ name: '../../../evil.txt', data: 'x' }])],
  ['ZIP with absolute entries', ['restore', '--restore-backup', 'zz'], 6, /absolute path|outside/, (r) => zip(r, [{ name: '/etc/evil', data: 'x' }])],
  ['ZIP with a symlink entry', ['restore', '--restore-backup', 'zz'], 6, /symbolic link/, (r) => zip(r, [{ name: 'ln', data: '/etc', unixMode: 0o120777 }])],
  ['unknown backup', ['restore', '--restore-backup', 'nothing-like-this'], 4, /no session backup matches/],
  // Options
  ['unknown option', ['list', '--frobnicate'], 2, /unknown option '--frobnicate'/],
  ['-C to a missing folder', ['-C', '/nonexistent/dir', 'list'], 3, /no such directory/],
  ['restore with two modes', ['restore', '--list-backups', '--list-checkpoints', ID], 2, /option '--list-backups' cannot be used with option '--list-checkpoints <session>'/],
  ['milestone named ..', ['backup', 'milestone', '..'], 5, /invalid milestone name/],
  ['daily restore of a bad date', ['restore', '--restore-daily', '2025-02-30x'], 5, /invalid date/],
];

function zip(repo: TestRepo, entries: Parameters<typeof writeRawZip>[1]) {
  mkdirSync(join(repo.dir, '04-agents/backups/sessions'), { recursive: true });
  writeRawZip(join(repo.dir, '04-agents/backups/sessions/zz-backup.zip'), entries);
}

describe('bad input: a clear error, and nothing changed', () => {
  it.each(cases)('%s', async (_label, args, code, stderr, setup) => {
    const repo = await project();
    setup?.(repo);
    const before = stateOf(repo);
    const r = await runCli(args, { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(code);
    expect(oneLineError(r)).toMatch(stderr);
    expect(stateOf(repo)).toBe(before);
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});

describe('odd but valid input works', () => {
  it('paths with spaces and unicode are tracked and checkpointed', async () => {
    const repo = await project();
    const o = { cwd: repo.dir, env: repo.env };
    repo.write('my notes/Ünïcødé file.md', 'ü\n');
    await ok(['track', ID, 'my notes/Ünïcødé file.md', 'created'], o);
    const cp = JSON.parse((await ok(['checkpoint', ID, 'unicode', 'my notes', '--json'], o)).stdout);
    expect(cp.files).toEqual([{ path: 'my notes/Ünïcødé file.md', status: 'added' }]);
    expect(repo.git('-c', 'core.quotepath=false', 'ls-tree', '-r', '--name-only', cp.commit)).toContain('my notes/Ünïcødé file.md');
  });

  it('not a repository, and a bare repository, say so', async () => {
    const dir = scratch();
    const r = await runCli(['list'], { cwd: dir, env: isolatedEnv(dir) });
    expect(r.code).toBe(3);
    expect(oneLineError(r)).toMatch(/not a git repository/);
    execFileSync('git', ['init', '-q', '--bare', join(dir, 'bare.git')]);
    const b = await runCli(['list'], { cwd: join(dir, 'bare.git'), env: isolatedEnv(dir) });
    expect(b.code).toBe(3);
    expect(oneLineError(b)).toMatch(/needs a non-bare repository|not a git repository/);
  });

  it('a detached HEAD is left detached, exactly where it was', async () => {
    const repo = makeRepo();
    repo.write('b.txt', 'b\n');
    repo.commitAll('second');
    repo.git('checkout', '-q', '--detach', 'HEAD~1');
    const head = repo.git('rev-parse', 'HEAD');
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'detached'], o);
    repo.write('c.txt', 'c\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'on a detached head', '--json'], o)).stdout);
    expect(repo.git('rev-parse', `${cp.commit}^`)).toBe(head);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(() => repo.git('symbolic-ref', '-q', 'HEAD')).toThrow();
  });

  it('a repository with a submodule keeps the gitlink in checkpoints', async () => {
    const sub = makeRepo();
    const repo = makeRepo();
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
    repo.commitAll('add submodule');
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'with submodule'], o);
    repo.write('top.txt', 't\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'sub', '--json'], o)).stdout);
    expect(repo.git('ls-tree', cp.commit, 'vendor/sub')).toMatch(/^160000 commit [0-9a-f]{40}\tvendor\/sub$/);
  });

  it('a read-only (or unusable) 04-agents folder is one clear I/O error', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['init'], o);
    const active = join(repo.dir, '04-agents/sessions/active');
    if (process.getuid?.() === 0) {
      // root ignores permission bits: make the folder unusable another way (a file where it should be).
      rmSync(active, { recursive: true });
      writeFileSync(active, 'not a folder');
    } else {
      chmodSync(active, 0o555);
    }
    const before = stateOf(repo);
    const r = await runCli(['start', 'blocked'], o);
    if (process.getuid?.() !== 0) chmodSync(active, 0o755);
    expect(r.code).toBe(9);
    expect(oneLineError(r)).toMatch(/cannot .*04-agents\/sessions\/active|not a directory|permission denied/);
    expect(stateOf(repo)).toBe(before);
    expect(repo.git('for-each-ref', 'refs/sessions')).toBe('');
  });
});
