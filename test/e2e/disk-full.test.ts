import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, scratch } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

/**
 * A full disk, for real: the repository lives on a small tmpfs that the test fills. Every command that must write
 * then exits 9 with one line, and leaves session.yaml byte for byte as it was, no temp file, no staging folder and
 * the work tree unchanged. Mounting needs root (CI runs as root); where it is not allowed, this suite is skipped and
 * says why — the one skip in the tests.
 */

const PAGE = 4096;
/** Pages held back before the disk is filled. */
const RESERVE = 48;
const MNT = join(tmpdir(), `specmap-disk-full-${process.pid}`);

function tryMount(): string | undefined {
  try {
    mkdirSync(MNT, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', MNT], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    try { rmdirSync(MNT); } catch { /* not made */ }
    const e = err as { stderr?: Buffer; message: string };
    return (e.stderr?.toString().trim() || e.message).split('\n')[0];
  }
}

const mountError = tryMount();
const mounted = mountError === undefined;
if (!mounted) console.warn(`disk-full suite skipped: cannot mount a tmpfs at ${MNT} (${mountError}); it needs root`);

afterAll(() => {
  if (!mounted) return;
  execFileSync('umount', [MNT]);
  rmdirSync(MNT);
});

const ID_FILE = (dir: string) => readdirSync(join(dir, '04-agents/sessions/active'))[0]!;

/** Every path under `dir` (files and folders, .git included), for "nothing left behind". */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const p = rel ? `${rel}/${d.name}` : d.name;
    return d.isDirectory() ? [`${p}/`, ...tree(dir, p)] : [p];
  }).sort();
}

describe.skipIf(!mounted)(`a full disk${mounted ? '' : ` (skipped: cannot mount a tmpfs: ${mountError})`}`, () => {
  const dir = join(MNT, 'repo');
  const reserve = join(MNT, 'reserve');
  const home = scratch('specmap-disk-full-home-');
  const env = { ...isolatedEnv(home), SPECMAP_BACKGROUND: '0' };
  const o = { cwd: dir, env };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trimEnd();
  let id = '';
  let cp1 = '';

  beforeAll(async () => {
    writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n[user]\n\tname = T\n\temail = t@example.com\n');
    mkdirSync(dir);
    git('init', '-q', '--template=');
    writeFileSync(join(dir, 'README.md'), '# full\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
    await ok(['start', 'full disk'], o);
    id = ID_FILE(dir);
    // A session.yaml of several pages (long descriptions), so a rewrite cannot fit in the page or two left.
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(256 * 1024, 1));
    cp1 = JSON.parse((await ok(['checkpoint', '@', `first ${'x'.repeat(1900)}`, '--json'], o)).stdout).checkpoint_id;
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(dir, 'big.bin'), Buffer.alloc(256 * 1024, i + 2));
      writeFileSync(join(dir, `n${i}.txt`), `${i}\n`);
      await ok(['checkpoint', '@', `step ${i} ${'y'.repeat(1900)}`], o);
    }
    // Pages held back, then everything else filled: freeing k reserve pages leaves exactly k pages.
    mkdirSync(reserve);
    for (let i = 0; i < RESERVE; i++) writeFileSync(join(reserve, `r${i}`), Buffer.alloc(PAGE));
    const fd = openSync(join(MNT, 'filler'), 'w');
    try {
      for (const chunk of [Buffer.alloc(64 * 1024), Buffer.alloc(PAGE)]) {
        try { for (;;) writeSync(fd, chunk); } catch { /* full at this grain */ }
      }
    } finally {
      closeSync(fd);
    }
  }, 120_000);

  /** Runs `args` with `pages` pages free; it must fail with exit 9 and one line, and change nothing. */
  async function failsCleanly(args: string[], pages: number): Promise<string> {
    const yaml = join(dir, '04-agents/sessions/active', id, 'session.yaml');
    const beforeYaml = readFileSync(yaml);
    const beforeTree = tree(dir);
    const beforeBig = readFileSync(join(dir, 'big.bin'));
    const beforeRef = git('rev-parse', `refs/sessions/${id}`);
    for (let i = 0; i < pages; i++) rmSync(join(reserve, `r${i}`));
    let r;
    try {
      r = await runCli(args, o);
    } finally {
      for (let i = 0; i < pages; i++) {
        try { writeFileSync(join(reserve, `r${i}`), Buffer.alloc(PAGE)); } catch { /* checked below */ }
      }
    }
    const what = `specmap ${args[0]} with ${pages} pages free`;
    expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(9);
    // Our own writes say so; git's messages vary ("Out of diskspace", "unable to write file").
    const line = oneLineError(r);
    if (!line.startsWith('specmap: git ')) expect(line, what).toMatch(/no space left on device/);
    expect(readFileSync(yaml).equals(beforeYaml), `${what}: session.yaml changed`).toBe(true);
    expect(readFileSync(join(dir, 'big.bin')).equals(beforeBig), `${what}: big.bin changed`).toBe(true);
    expect(git('rev-parse', `refs/sessions/${id}`), what).toBe(beforeRef);
    // Nothing left behind: no temp file, staging folder, temp index or journal (git's own loose objects aside).
    const after = tree(dir).filter((p) => !/^\.git\/objects\//.test(p));
    expect(after, what).toEqual(beforeTree.filter((p) => !/^\.git\/objects\//.test(p)));
    // Every reserve page came back: nothing kept space.
    expect(readdirSync(reserve).length, what).toBe(RESERVE);
    for (let i = 0; i < RESERVE; i++) expect(readFileSync(join(reserve, `r${i}`)).length, `${what}: a page is still held`).toBe(PAGE);
    return line;
  }

  for (const pages of [0, 2]) {
    it(`track exits 9 and leaves session.yaml intact (${pages} pages free)`, async () => {
      const line = await failsCleanly(['track', '@', 'n0.txt', 'modified'], pages);
      // With two pages the lock fits and session.yaml's rewrite does not: the write itself must fail.
      expect(line).toMatch(pages === 0 ? /cannot create lock file .*: no space left on device/ : /cannot write .*session\.yaml: no space left on device/);
    });
    it(`checkpoint exits 9 and records nothing (${pages} pages free)`, async () => {
      writeFileSync(join(dir, 'n0.txt'), 'changed\n');
      try {
        await failsCleanly(['checkpoint', '@', 'on a full disk'], pages);
      } finally {
        writeFileSync(join(dir, 'n0.txt'), '0\n');
      }
    });
    it(`restore --in-place exits 9 and writes no file (${pages} pages free)`, async () => {
      await failsCleanly(['restore', '--restore-checkpoint', '@', cp1, '--in-place'], pages);
    });
    it(`end exits 9 and leaves the session active (${pages} pages free)`, async () => {
      await failsCleanly(['end', '@'], pages);
      expect(ID_FILE(dir)).toBe(id);
    });
  }

  it('restore --in-place exits 9 when the project state fits and the restored file does not (40 pages free)', async () => {
    // big.bin at cp1 is 64 pages: the safety checkpoint's tree fits, staging the file does not.
    await failsCleanly(['restore', '--restore-checkpoint', '@', cp1, '--in-place'], 40);
  });

  it('once space is back, every command works (the session was never damaged)', async () => {
    rmSync(join(MNT, 'filler'));
    await ok(['track', '@', 'n0.txt', 'modified'], o);
    await ok(['restore', '--restore-checkpoint', '@', cp1, '--in-place'], o);
    expect(readFileSync(join(dir, 'big.bin')).equals(Buffer.alloc(256 * 1024, 1))).toBe(true);
    await ok(['end', '@'], o);
    expect((await runCli(['doctor'], o)).code).toBe(0);
  });
});
