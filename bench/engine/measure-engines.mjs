#!/usr/bin/env node
// Measures the git engines specmap could use, on the operations specmap needs.
//
//   cd bench/engine && npm ci && node measure-engines.mjs [options]
//
//   --runs N            timed runs of each fast operation (default 20, at least 5)
//   --snapshot-runs N   timed runs of each snapshot variant (default 5, at least 5)
//   --only a,b          only these operations (spawn, root, head, refs, cas, snapshot, log); skips (g) and the trap
//   --same-content      snapshot runs reuse content already stored (measures the stat walk alone)
//   --json FILE         also write every raw number as JSON
//   --keep              keep .work/ (the generated repository) afterwards
//
// Engines: the git CLI spawned directly with node:child_process (argv arrays, like src/git/run.ts),
// simple-git 4 (`raw()` and its helpers) and isomorphic-git 1.x.
//
// The parent process builds a deterministic repository under .work/ (seeded PRNG: 9,990 text files in nested
// folders, ten 5 MiB binaries, one symlink), then runs every (operation, engine) pair in a fresh child process
// under `/usr/bin/time -v` so that each gets its own peak RSS. A child does one warm-up run (two for fast
// operations) and then N timed runs, and reports the wall times, the result it computed (so that engines can be
// checked against each other) and whether `.git/index` changed. The parent prints markdown tables of medians.
//
// Nothing here is part of specmap itself; its dependencies live in this folder's own package.json.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { prng } from '../lib/prng.mjs';
import { median } from '../lib/timing.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);
const WORK = join(HERE, '.work');
const REPO = join(WORK, 'repo');
const GITDIR = join(REPO, '.git');
const REAL_INDEX = join(GITDIR, 'index');
const TMP = join(WORK, 'tmp');
const GITCONFIG = join(WORK, 'gitconfig');
const STATE = join(WORK, 'state.json');
const SUBDIR = join(REPO, 'pkg-3', 'mod-4'); // where "find the repo root" starts
const ZERO = '0'.repeat(40);

// Fixed identity and dates, so that every engine must produce the very same commit object.
const AUTHOR = { name: 'Specmap Bench', email: 'bench@example.invalid', timestamp: 1700000000, timezoneOffset: 0 };
const DATE_ENV = { GIT_AUTHOR_DATE: '1700000000 +0000', GIT_COMMITTER_DATE: '1700000000 +0000' };
const MESSAGE = 'specmap checkpoint';

// ---------------------------------------------------------------------------------------------------------------
// Isolation: no inherited GIT_* variable, no system config, a private global config. Children inherit this.
for (const key of Object.keys(process.env)) if (key.startsWith('GIT_')) delete process.env[key];
process.env.GIT_CONFIG_GLOBAL = GITCONFIG;
process.env.GIT_CONFIG_NOSYSTEM = '1';
process.env.GIT_TERMINAL_PROMPT = '0';
process.env.LC_ALL = 'C';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Same shape as src/git/run.ts: spawn git with an argv array, collect stdout/stderr, reject on a bad exit. */
function git(args, { cwd = REPO, env, input, okCodes = [] } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, env: env ? { ...process.env, ...env } : process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0 || okCodes.includes(code)) resolvePromise({ stdout, stderr, code });
      else reject(Object.assign(new Error(`git ${args[0]} exited ${code}: ${stderr.trim()}`), { code, stderr }));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function gitSync(args, { cwd = REPO, env, input } = {}) {
  const r = spawnSync('git', args, {
    cwd, env: env ? { ...process.env, ...env } : process.env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const sha1 = (data) => createHash('sha1').update(data).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function indexFingerprint() {
  const st = fs.statSync(REAL_INDEX, { bigint: true });
  return `${sha1(fs.readFileSync(REAL_INDEX))}:${st.mtimeNs}:${st.ino}`;
}

function readState() {
  return JSON.parse(fs.readFileSync(STATE, 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------------
// Repository generation (deterministic)

const TEXT_FILES = 9984; // + 5 scripts + .gitignore = 9,990 text files
const BINARIES = 10;
const BINARY_SIZE = 5 * 1024 * 1024;

function makeWords(rand) {
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'sen', 'dor', 'vel', 'qua', 'zi', 'pe', 'on', 'ar', 'ist', 'ex', 'um', 'bri', 'gal', 'tor'];
  const words = [];
  for (let i = 0; i < 2000; i++) {
    let w = '';
    const n = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < n; j++) w += syll[Math.floor(rand() * syll.length)];
    words.push(w);
  }
  return words;
}

function makeText(rand, words, size) {
  const lines = [];
  let len = 0;
  while (len < size) {
    const n = 4 + Math.floor(rand() * 10);
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(words[Math.floor(rand() * words.length)]);
    const line = parts.join(' ');
    lines.push(line);
    len += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

function makeBinary(rand, size) {
  const u32 = new Uint32Array(size / 4);
  for (let i = 0; i < u32.length; i++) u32[i] = (rand() * 4294967296) >>> 0;
  return Buffer.from(u32.buffer);
}

const EXTS = ['.ts', '.md', '.json', '.txt', '.js'];
function textPath(i) {
  const nested = i % 3 === 0 ? 'deep/er/' : '';
  return `pkg-${i % 10}/mod-${Math.floor(i / 10) % 10}/${nested}file-${i}${EXTS[i % EXTS.length]}`;
}

function writeFile(rel, data, mode) {
  const full = join(REPO, rel);
  fs.mkdirSync(dirname(full), { recursive: true });
  fs.writeFileSync(full, data);
  if (mode) fs.chmodSync(full, mode);
}

const seedOf = (text) => createHash('sha1').update(text).digest().readUInt32LE(0);

/**
 * Writes the session's edits with content derived from `salt`: the same files and sizes every time, new bytes for
 * a new salt. Each timed snapshot run gets its own salt, so every run must hash and store new objects (as a real
 * checkpoint does) instead of finding them already in the object store from the previous run.
 */
function editWorktree(edits, salt, words = makeWords(prng(0x5eed1234).next)) {
  for (const p of edits.text) writeFile(p, makeText(prng(seedOf(`${salt}:${p}`)).next, words, 1000 + (seedOf(`size:${p}`) % 8000)));
  for (const p of edits.untracked) writeFile(p, makeText(prng(seedOf(`${salt}:${p}`)).next, words, 500 + (seedOf(`size:${p}`) % 4000)));
  const fd = fs.openSync(join(REPO, edits.binary), 'r+');
  fs.writeSync(fd, makeBinary(prng(seedOf(`${salt}:${edits.binary}`)).next, 4096), 0, 4096, 2 * 1024 * 1024);
  fs.closeSync(fd);
}

async function setup() {
  const t0 = performance.now();
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(TMP, { recursive: true });
  fs.writeFileSync(GITCONFIG, [
    '[user]', '\tname = Specmap Bench', '\temail = bench@example.invalid',
    '[gc]', '\tauto = 0', '[maintenance]', '\tauto = false',
    '[init]', '\tdefaultBranch = main', '[commit]', '\tgpgsign = false',
    '[core]', '\tautocrlf = false', '',
  ].join('\n'));
  gitSync(['init', '-q', '-b', 'main', REPO], { cwd: WORK });

  const rand = prng(0x5eed1234).next;
  const words = makeWords(rand);
  let bytes = 0;
  for (let i = 0; i < TEXT_FILES; i++) {
    const text = makeText(rand, words, 1000 + Math.floor(rand() * 8000));
    bytes += text.length;
    writeFile(textPath(i), text);
  }
  for (let i = 0; i < 5; i++) writeFile(`scripts/run-${i}.sh`, `#!/bin/sh\necho step ${i}\n`, 0o755);
  writeFile('.gitignore', '*.log\n/build/\nnode_modules/\n*.tmp\n');
  for (let i = 0; i < BINARIES; i++) {
    const b = makeBinary(rand, BINARY_SIZE);
    bytes += b.length;
    writeFile(`assets/blob-${i}.bin`, b);
  }
  fs.symlinkSync('pkg-0/mod-0/file-0.ts', join(REPO, 'link-to-file-0'));

  gitSync(['add', '-A']);
  gitSync(['commit', '-q', '-m', 'base'], { env: DATE_ENV });
  // A cloned repository is packed: pack the base commit like a clone would be. Session data below stays loose,
  // as specmap would create it.
  gitSync(['repack', '-a', '-d', '-q']);
  const base = gitSync(['rev-parse', 'HEAD']).trim();
  const baseTree = gitSync(['rev-parse', 'HEAD^{tree}']).trim();

  // (f) a chain of 1,000 commits made with commit-tree, on refs/heads/history.
  const history = [];
  let parent = base;
  for (let i = 0; i < 1000; i++) {
    const when = `${1700000000 + 60 * (i + 1)} +0000`;
    parent = gitSync(['commit-tree', baseTree, '-p', parent, '-m', `checkpoint ${i}`], {
      env: { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    }).trim();
    history.push(parent);
  }
  gitSync(['update-ref', 'refs/heads/history', parent, ZERO]);

  // (c) 1,000 loose refs under refs/sessions/.
  const lines = history.map((oid, i) => `create refs/sessions/s-${String(i).padStart(4, '0')} ${oid}\n`).join('');
  gitSync(['update-ref', '--stdin'], { input: lines });

  // The session's edits: 99 text files rewritten, one binary changed in place (same size), 50 untracked files,
  // a few ignored files. Which files is fixed here; their content is a function of a salt (see editWorktree).
  const edit = prng(0xc0ffee).next;
  const picked = new Set();
  while (picked.size < 99) picked.add(Math.floor(edit() * TEXT_FILES));
  const edits = {
    text: [...picked].map(textPath),
    binary: 'assets/blob-7.bin',
    untracked: [
      ...Array.from({ length: 30 }, (_, i) => `pkg-${i % 10}/mod-${(i * 3) % 10}/new-${i}.ts`),
      ...Array.from({ length: 20 }, (_, i) => `notes/session-${i % 4}/note-${i}.md`),
    ],
  };
  editWorktree(edits, 'setup', words);
  writeFile('debug.log', 'ignored\n');
  writeFile('pkg-1/mod-1/trace.log', 'ignored\n');
  writeFile('build/out.bin', makeBinary(edit, 1024 * 1024));
  writeFile('node_modules/dep/index.js', 'module.exports = 1;\n');
  writeFile('scratch.tmp', 'ignored\n');

  // Like a user's own `git status`: refresh the real index's stat data once (after the racy-git window).
  await sleep(1100);
  const status = gitSync(['status', '--porcelain=v1', '--untracked-files=all']);
  const modified = status.split('\n').filter((l) => l.startsWith(' M')).length;
  const untracked = status.split('\n').filter((l) => l.startsWith('??')).length;
  const tracked = gitSync(['ls-files']).split('\n').filter(Boolean).length;
  if (modified !== 100 || untracked !== 50) throw new Error(`unexpected status: ${modified} modified, ${untracked} untracked`);
  const ignored = gitSync(['status', '--porcelain=v1', '--ignored', '--untracked-files=all']).split('\n').filter((l) => l.startsWith('!!')).length;

  const state = { base, baseTree, history: [history[0], history[1], history[999]], tracked, bytes, modified, untracked, ignored, edits };
  fs.writeFileSync(STATE, JSON.stringify(state, null, 2));
  return { ...state, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------------
// isomorphic-git support: an fs that redirects `.git/index` to a temporary copy (isomorphic-git has no
// GIT_INDEX_FILE), counts what it wrote there, and optionally reports exact nanosecond stat times.

function makeIsoFs({ indexPath = null, exactStat = false } = {}) {
  const counters = { indexWrites: 0 };
  const map = (p) => (indexPath && typeof p === 'string' && resolve(p) === REAL_INDEX ? indexPath : p);
  const exact = (b) => ({
    dev: Number(b.dev), ino: Number(b.ino), mode: Number(b.mode), nlink: Number(b.nlink),
    uid: Number(b.uid), gid: Number(b.gid), size: Number(b.size),
    mtimeMs: Number(b.mtimeMs), ctimeMs: Number(b.ctimeMs),
    mtimeSeconds: Number(b.mtimeNs / 1000000000n), mtimeNanoseconds: Number(b.mtimeNs % 1000000000n),
    ctimeSeconds: Number(b.ctimeNs / 1000000000n), ctimeNanoseconds: Number(b.ctimeNs % 1000000000n),
    isFile: () => b.isFile(), isDirectory: () => b.isDirectory(), isSymbolicLink: () => b.isSymbolicLink(),
  });
  const statFn = (name) => async (p, opts) => {
    if (!exactStat) return fsp[name](map(p), opts);
    return exact(await fsp[name](map(p), { bigint: true }));
  };
  const promises = {
    readFile: (p, ...a) => fsp.readFile(map(p), ...a),
    writeFile: (p, ...a) => {
      if (indexPath && map(p) === indexPath) counters.indexWrites++;
      return fsp.writeFile(map(p), ...a);
    },
    mkdir: (p, ...a) => fsp.mkdir(map(p), ...a),
    rmdir: (p, ...a) => fsp.rmdir(map(p), ...a),
    unlink: (p, ...a) => fsp.unlink(map(p), ...a),
    stat: statFn('stat'),
    lstat: statFn('lstat'),
    readdir: (p, ...a) => fsp.readdir(map(p), ...a),
    readlink: (p, ...a) => fsp.readlink(map(p), ...a),
    symlink: (t, p, ...a) => fsp.symlink(t, map(p), ...a),
    chmod: (p, ...a) => fsp.chmod(map(p), ...a),
    rm: (p, ...a) => fsp.rm(map(p), ...a),
  };
  return { fs: { promises }, counters };
}

// ---------------------------------------------------------------------------------------------------------------
// simple-git support

// What simple-git 4 needs before it lets these variables through (see probeSimpleGit for the evidence).
const SG_ALLOW = ['GIT_INDEX_FILE', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE', 'GIT_TERMINAL_PROMPT'];
async function sgFactory() {
  const { simpleGit } = await import('simple-git');
  return (baseDir = REPO, extra = {}) =>
    simpleGit({ baseDir, allowEnvironment: SG_ALLOW, unsafe: { allowUnsafeConfigPaths: true }, ...extra });
}

/** Records how simple-git 4 treats GIT_* variables and exit codes. Runs once, in the parent, after setup. */
async function probeSimpleGit() {
  const { simpleGit } = await import('simple-git');
  const out = [];
  const tmpIndex = join(TMP, 'probe-index');
  fs.copyFileSync(REAL_INDEX, tmpIndex);
  const PATHONLY = { PATH: process.env.PATH };
  const attempt = async (what, fn) => {
    try {
      out.push({ what, ok: true, value: String(await fn()).trim().split('\n')[0] });
    } catch (e) {
      out.push({ what, ok: false, error: String(e.message).split('\n')[0] });
    }
  };
  const cfg = ['config', '--show-origin', '--get', 'user.email'];
  await attempt('git CLI, GIT_CONFIG_GLOBAL inherited from process.env: `config --show-origin --get user.email`',
    async () => (await git(cfg)).stdout);
  await attempt('simple-git defaults, same command (GIT_CONFIG_GLOBAL inherited)', () => simpleGit({ baseDir: REPO }).raw(cfg));
  await attempt('simple-git allowEnvironment:[GIT_CONFIG_GLOBAL], inherited', () =>
    simpleGit({ baseDir: REPO, allowEnvironment: ['GIT_CONFIG_GLOBAL'] }).raw(cfg));
  await attempt('simple-git allowEnvironment:[GIT_CONFIG_GLOBAL], passed with .env()', () =>
    simpleGit({ baseDir: REPO, allowEnvironment: ['GIT_CONFIG_GLOBAL'] }).env({ ...PATHONLY, GIT_CONFIG_GLOBAL: GITCONFIG }).raw(cfg));
  await attempt('simple-git allowEnvironment:[GIT_CONFIG_GLOBAL] + unsafe.allowUnsafeConfigPaths, passed with .env()', () =>
    simpleGit({ baseDir: REPO, allowEnvironment: ['GIT_CONFIG_GLOBAL'], unsafe: { allowUnsafeConfigPaths: true } })
      .env({ ...PATHONLY, GIT_CONFIG_GLOBAL: GITCONFIG }).raw(cfg));
  await attempt('simple-git defaults, .env({PATH, GIT_INDEX_FILE}) then `write-tree`', () =>
    simpleGit({ baseDir: REPO }).env({ ...PATHONLY, GIT_INDEX_FILE: tmpIndex }).raw(['write-tree']));
  await attempt('simple-git allowEnvironment:[GIT_INDEX_FILE], .env({PATH, GIT_INDEX_FILE}) then `write-tree`', () =>
    simpleGit({ baseDir: REPO, allowEnvironment: ['GIT_INDEX_FILE'] }).env({ ...PATHONLY, GIT_INDEX_FILE: tmpIndex }).raw(['write-tree']));
  await attempt('simple-git allowEnvironment:[GIT_INDEX_FILE], .env({...process.env, GIT_INDEX_FILE}) (process.env holds GIT_CONFIG_GLOBAL)', () =>
    simpleGit({ baseDir: REPO, allowEnvironment: ['GIT_INDEX_FILE'] }).env({ ...process.env, GIT_INDEX_FILE: tmpIndex }).raw(['write-tree']));
  await attempt('simple-git defaults, `-c core.hooksPath=/dev/null rev-parse HEAD`', () =>
    simpleGit({ baseDir: REPO }).raw(['-c', 'core.hooksPath=/dev/null', 'rev-parse', 'HEAD']));
  await attempt('simple-git defaults, `rev-parse --verify -q refs/heads/missing` (git exits 1, prints nothing)', async () =>
    JSON.stringify(await simpleGit({ baseDir: REPO }).raw(['rev-parse', '--verify', '-q', 'refs/heads/missing'])));
  fs.rmSync(tmpIndex, { force: true });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Operations × engines. Each factory returns { run(): Promise<signature>, check?(): Promise<object> }.

const OPS = {
  spawn: {
    title: 'one git exec (`git --version`)',
    cli: async () => ({ run: async () => (await git(['--version'])).stdout.trim() }),
    'simple-git': async () => {
      const sg = (await sgFactory())();
      return { run: async () => (await sg.raw(['--version'])).trim() };
    },
  },
  root: {
    title: '(a) find repo root + git dir',
    cli: async () => ({
      run: async () => {
        const [top, gd] = (await git(['rev-parse', '--show-toplevel', '--absolute-git-dir'], { cwd: SUBDIR })).stdout.trim().split('\n');
        return `${top}|${gd}`;
      },
    }),
    'simple-git': async () => {
      const sg = (await sgFactory())(SUBDIR);
      return {
        run: async () => {
          const [top, gd] = (await sg.revparse(['--show-toplevel', '--absolute-git-dir'])).trim().split('\n');
          return `${top}|${gd}`;
        },
      };
    },
    'isomorphic-git': async () => {
      const iso = await import('isomorphic-git');
      return {
        run: async () => {
          const top = await iso.findRoot({ fs, filepath: SUBDIR });
          return `${top}|${join(top, '.git')}`;
        },
      };
    },
  },
  head: {
    title: '(b) resolve HEAD to a commit id',
    cli: async () => ({ run: async () => (await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).stdout.trim() }),
    'simple-git': async () => {
      const sg = (await sgFactory())();
      return { run: async () => (await sg.revparse(['--verify', '-q', 'HEAD^{commit}'])).trim() };
    },
    'isomorphic-git': async () => {
      const iso = await import('isomorphic-git');
      return { run: async () => iso.resolveRef({ fs, dir: REPO, ref: 'HEAD' }) };
    },
  },
  refs: {
    title: '(c) list 1,000 refs under refs/sessions/ with ids',
    cli: async () => ({
      run: async () => {
        const out = (await git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/sessions/'])).stdout;
        return refsSignature(out.split('\n').filter(Boolean).map((l) => l.split(' ')));
      },
    }),
    'simple-git': async () => {
      const sg = (await sgFactory())();
      return {
        run: async () => {
          const out = await sg.raw(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/sessions/']);
          return refsSignature(out.split('\n').filter(Boolean).map((l) => l.split(' ')));
        },
      };
    },
    'isomorphic-git': async () => {
      const iso = await import('isomorphic-git');
      return {
        run: async () => {
          const names = await iso.listRefs({ fs, dir: REPO, filepath: 'refs/sessions' });
          const pairs = await Promise.all(names.map(async (n) => [await iso.resolveRef({ fs, dir: REPO, ref: `refs/sessions/${n}` }), `refs/sessions/${n}`]));
          return refsSignature(pairs);
        },
      };
    },
  },
  cas: {
    title: '(d) move a ref with compare-and-swap',
    cli: async () => casFactory('cli', async (ref, next, cur) => {
      await git(['update-ref', ref, next, cur]);
    }),
    'simple-git': async () => {
      const sg = (await sgFactory())();
      return casFactory('simple-git', async (ref, next, cur) => {
        await sg.raw(['update-ref', ref, next, cur]);
      });
    },
    'isomorphic-git': async () => {
      const iso = await import('isomorphic-git');
      // isomorphic-git has no compare-and-swap: read, compare, then overwrite (not atomic, no lock file, no reflog).
      return casFactory('isomorphic-git', async (ref, next, cur) => {
        const now = await iso.resolveRef({ fs, dir: REPO, ref }).catch(() => ZERO);
        if (now !== cur) throw new Error(`ref ${ref} is at ${now} but expected ${cur}`);
        await iso.writeRef({ fs, dir: REPO, ref, value: next, force: true });
      });
    },
  },
  snapshot: {
    title: '(e) working-tree snapshot commit, real index untouched',
    cli: async () => snapshotCli({ seed: 'copy' }),
    'cli (read-tree HEAD)': async () => snapshotCli({ seed: 'read-tree' }),
    'simple-git': async () => snapshotSimpleGit(),
    'isomorphic-git (statusMatrix+add)': async () => snapshotIsoAdd({ exactStat: false }),
    'isomorphic-git (walk+writeTree)': async () => snapshotIsoWalk({ exactStat: false }),
    'isomorphic-git (statusMatrix+add, ns-stat fs)': async () => snapshotIsoAdd({ exactStat: true }),
    'isomorphic-git (walk+writeTree, ns-stat fs)': async () => snapshotIsoWalk({ exactStat: true }),
  },
  log: {
    title: '(f) log of 1,000 commits',
    cli: async () => ({
      run: async () => {
        const out = (await git(['log', '--format=%H%x1f%an%x1f%ae%x1f%at%x1f%s%x1e', '-n', '1000', 'refs/heads/history'])).stdout;
        const entries = out.split('\x1e').map((s) => s.trim()).filter(Boolean).map((s) => s.split('\x1f'));
        return logSignature(entries.map((e) => ({ oid: e[0], subject: e[4] })));
      },
    }),
    'simple-git': async () => {
      const sg = (await sgFactory())();
      return {
        run: async () => {
          const r = await sg.log(['--max-count=1000', 'refs/heads/history']);
          return logSignature(r.all.map((e) => ({ oid: e.hash, subject: e.message })));
        },
      };
    },
    'isomorphic-git': async () => {
      const iso = await import('isomorphic-git');
      return {
        run: async () => {
          const r = await iso.log({ fs, dir: REPO, ref: 'refs/heads/history', depth: 1000, cache: {} });
          return logSignature(r.map((e) => ({ oid: e.oid, subject: e.commit.message.split('\n')[0] })));
        },
      };
    },
  },
};

const FAST_OPS = new Set(['spawn', 'root', 'head', 'refs', 'cas', 'log']);

function refsSignature(pairs) {
  const lines = pairs.map(([oid, name]) => `${oid} ${name}`).sort();
  return `${lines.length} refs, sha1 ${sha1(lines.join('\n')).slice(0, 12)}`;
}

function logSignature(entries) {
  return `${entries.length} commits, first ${entries[0]?.subject}, last ${entries.at(-1)?.subject}, sha1 ${sha1(entries.map((e) => e.oid).join('\n')).slice(0, 12)}`;
}

async function casFactory(variant, move) {
  const { history } = readState();
  const ref = `refs/bench/cas/${variant.replace(/[^a-z-]/g, '')}`;
  await git(['update-ref', ref, history[0]]);
  let cur = history[0];
  return {
    run: async () => {
      const next = cur === history[0] ? history[1] : history[0];
      await move(ref, next, cur);
      cur = next;
      return 'moved';
    },
    check: async () => {
      // A stale expectation must be refused.
      const stale = cur === history[0] ? history[1] : history[0];
      let refused = false;
      let message = '';
      try {
        await move(ref, history[2], stale);
      } catch (e) {
        refused = true;
        message = String(e.message).split('\n')[0];
      }
      const finalValue = (await git(['rev-parse', ref])).stdout.trim();
      return { staleRefused: refused, staleMessage: message, refMatches: finalValue === cur };
    },
  };
}

function snapshotRef(variant) {
  return `refs/specmap/bench/${variant.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`;
}

async function snapshotCli({ seed }) {
  const ref = snapshotRef(`cli-${seed}`);
  let prev = ZERO;
  let last = null;
  return {
    run: async () => {
      const head = (await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).stdout.trim();
      const tmpIndex = join(TMP, `index-cli-${process.pid}`);
      const env = { GIT_INDEX_FILE: tmpIndex };
      if (seed === 'copy') await fsp.copyFile(REAL_INDEX, tmpIndex);
      else await git(['read-tree', head], { env });
      await git(['add', '-A'], { env });
      const tree = (await git(['write-tree'], { env })).stdout.trim();
      const commit = (await git(['commit-tree', tree, '-p', head, '-m', MESSAGE], { env: DATE_ENV })).stdout.trim();
      await git(['update-ref', ref, commit, prev]);
      prev = commit;
      await fsp.rm(tmpIndex, { force: true });
      last = { tree, commit };
      return tree;
    },
    check: async () => ({ ...last }),
  };
}

async function snapshotSimpleGit() {
  const make = await sgFactory();
  const ref = snapshotRef('simple-git');
  let prev = ZERO;
  let last = null;
  return {
    run: async () => {
      const sg = make();
      const head = (await sg.revparse(['--verify', '-q', 'HEAD^{commit}'])).trim();
      const tmpIndex = join(TMP, `index-sg-${process.pid}`);
      await fsp.copyFile(REAL_INDEX, tmpIndex);
      // .env() replaces the child's whole environment, so start from process.env.
      const withIndex = make().env({ ...process.env, GIT_INDEX_FILE: tmpIndex });
      await withIndex.raw(['add', '-A']);
      const tree = (await withIndex.raw(['write-tree'])).trim();
      const commit = (await make().env({ ...process.env, ...DATE_ENV }).raw(['commit-tree', tree, '-p', head, '-m', MESSAGE])).trim();
      await sg.raw(['update-ref', ref, commit, prev]);
      prev = commit;
      await fsp.rm(tmpIndex, { force: true });
      last = { tree, commit };
      return tree;
    },
    check: async () => ({ ...last }),
  };
}

async function isoCas(iso, ref, next, cur) {
  const now = await iso.resolveRef({ fs, dir: REPO, ref }).catch(() => ZERO);
  if (now !== cur) throw new Error(`ref ${ref} moved`);
  await iso.writeRef({ fs, dir: REPO, ref, value: next, force: true });
}

async function snapshotIsoAdd({ exactStat }) {
  const iso = await import('isomorphic-git');
  const ref = snapshotRef(`iso-add${exactStat ? '-ns' : ''}`);
  let prev = ZERO;
  let last = null;
  let indexWrites = 0;
  return {
    run: async () => {
      const tmpIndex = join(TMP, `index-iso-${process.pid}`);
      await fsp.copyFile(REAL_INDEX, tmpIndex);
      const { fs: ifs, counters } = makeIsoFs({ indexPath: tmpIndex, exactStat });
      const cache = {};
      const opts = { fs: ifs, dir: REPO, gitdir: GITDIR, cache };
      const matrix = await iso.statusMatrix(opts);
      const add = [];
      const remove = [];
      for (const [file, , w, s] of matrix) {
        if (w === 0) {
          if (s !== 0) remove.push(file);
        } else if (!((w === 1 && s === 1) || s === 2)) add.push(file);
      }
      if (add.length) await iso.add({ ...opts, filepath: add });
      for (const filepath of remove) await iso.remove({ ...opts, filepath });
      const commit = await iso.commit({ ...opts, message: `${MESSAGE}\n`, author: AUTHOR, committer: AUTHOR, noUpdateBranch: true });
      await isoCas(iso, ref, commit, prev);
      prev = commit;
      indexWrites = counters.indexWrites;
      await fsp.rm(tmpIndex, { force: true });
      const { commit: c } = await iso.readCommit({ fs, dir: REPO, oid: commit });
      last = { tree: c.tree, commit, staged: add.length + remove.length, tempIndexWrites: indexWrites };
      return c.tree;
    },
    check: async () => ({ ...last }),
  };
}

async function snapshotIsoWalk({ exactStat }) {
  const iso = await import('isomorphic-git');
  const ref = snapshotRef(`iso-walk${exactStat ? '-ns' : ''}`);
  let prev = ZERO;
  let last = null;
  return {
    run: async () => {
      const tmpIndex = join(TMP, `index-isow-${process.pid}`);
      await fsp.copyFile(REAL_INDEX, tmpIndex);
      const { fs: ifs, counters } = makeIsoFs({ indexPath: tmpIndex, exactStat });
      const cache = {};
      const base = { fs: ifs, dir: REPO, gitdir: GITDIR };
      let blobsWritten = 0;
      const head = await iso.resolveRef({ ...base, ref: 'HEAD' });
      const root = await iso.walk({
        ...base,
        cache,
        trees: [iso.STAGE(), iso.WORKDIR()],
        map: async (filepath, [stage, work]) => {
          if (!work) return null; // deleted in the working tree (or the root of an empty repo)
          const type = await work.type();
          if (type === 'special') return null;
          if (filepath !== '.' && !stage && (await iso.isIgnored({ ...base, filepath }))) return null; // untracked + ignored
          if (type === 'tree') return { type: 'tree', path: basename(filepath) };
          const mode = (await work.mode()).toString(8);
          const oid = await work.oid();
          const stageOid = stage && (await stage.type()) === 'blob' ? await stage.oid() : null;
          if (oid !== stageOid) {
            const written = await iso.writeBlob({ ...base, blob: await work.content() });
            if (written !== oid) throw new Error(`blob id mismatch for ${filepath}`);
            blobsWritten++;
          }
          return { type: 'blob', mode, path: basename(filepath), oid };
        },
        reduce: async (parent, children) => {
          if (parent.type === 'blob') return parent;
          const entries = children.filter(Boolean);
          if (entries.length === 0) return undefined; // git does not record empty folders
          const oid = await iso.writeTree({ ...base, tree: entries });
          return { type: 'tree', mode: '040000', path: parent.path, oid };
        },
      });
      const tree = root.oid;
      const commit = await iso.writeCommit({
        ...base,
        commit: { tree, parent: [head], author: AUTHOR, committer: AUTHOR, message: `${MESSAGE}\n` },
      });
      await isoCas(iso, ref, commit, prev);
      prev = commit;
      await fsp.rm(tmpIndex, { force: true });
      last = { tree, commit, blobsWritten, tempIndexWrites: counters.indexWrites };
      return tree;
    },
    check: async () => ({ ...last }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Worker: one (operation, engine) pair in its own process.

async function worker(op, variant, runs, warmups, sameContent) {
  const factory = OPS[op]?.[variant];
  if (!factory) throw new Error(`unknown ${op}/${variant}`);
  const before = indexFingerprint();
  const t0 = performance.now();
  const impl = await factory();
  const setupMs = performance.now() - t0;
  // Snapshots get new content before every run (untimed); afterwards one more, untimed run on content that is
  // the same for every engine gives the tree and commit ids that are compared across engines.
  const fresh = op === 'snapshot' && !sameContent;
  const edits = fresh ? readState().edits : null;
  const words = fresh ? makeWords(prng(0x5eed1234).next) : null;
  const signatures = new Set();
  for (let i = 0; i < warmups; i++) {
    if (fresh) editWorktree(edits, `${variant}#warmup${i}`, words);
    signatures.add(await impl.run());
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    if (fresh) editWorktree(edits, `${variant}#run${i}`, words);
    const s = performance.now();
    const sig = await impl.run();
    times.push(performance.now() - s);
    signatures.add(sig);
  }
  if (fresh) {
    editWorktree(edits, 'verify', words);
    signatures.clear();
    signatures.add(await impl.run());
  }
  const check = impl.check ? await impl.check() : {};
  const after = indexFingerprint();
  const result = {
    op, variant, times, setupMs,
    signature: [...signatures].join(' / '),
    stable: signatures.size === 1,
    indexUnchanged: before === after,
    check,
    selfMaxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Parent

const HAVE_TIME = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

function runChild(argv, { cwd = HERE } = {}) {
  return new Promise((resolvePromise, reject) => {
    const cmd = HAVE_TIME ? '/usr/bin/time' : process.execPath;
    const args = HAVE_TIME ? ['-v', process.execPath, ...argv] : argv;
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolvePromise({ code, stdout, stderr, wallMs, maxRssKb: m ? Number(m[1]) : null });
    });
  });
}

async function measureWorker(op, variant, runs, warmups, sameContent) {
  const statusBefore = op === 'snapshot' ? await repoState() : null;
  const r = await runChild([SCRIPT, '--worker', op, variant, String(runs), String(warmups), sameContent ? 'same' : 'fresh']);
  if (r.code !== 0) {
    return { op, variant, error: r.stderr.split('\n').filter((l) => l && !/^\s+\w.*: /.test(l)).slice(0, 6).join(' | ') };
  }
  const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
  res.maxRssKb = r.maxRssKb ?? res.selfMaxRssKb;
  if (statusBefore) res.worktreeAndHeadUnchanged = statusBefore === (await repoState());
  return res;
}

async function repoState() {
  // --no-optional-locks: do not let this check itself rewrite .git/index.
  const status = (await git(['--no-optional-locks', 'status', '--porcelain=v1', '--untracked-files=all'])).stdout;
  const head = (await git(['rev-parse', 'HEAD', 'refs/heads/main'])).stdout;
  return sha1(status + head);
}

async function measureImports(runs) {
  const cases = [
    ['`node -e 0` (baseline)', null],
    ['node:child_process', 'node:child_process'],
    ['simple-git', 'simple-git'],
    ['isomorphic-git', 'isomorphic-git'],
  ];
  const rows = [];
  for (const [label, spec] of cases) {
    const code = spec
      ? `const t=performance.now();await import(${JSON.stringify(spec)});const ms=performance.now()-t;process.stdout.write(JSON.stringify({ms,rss:process.resourceUsage().maxRSS}))`
      : `process.stdout.write(JSON.stringify({ms:0,rss:process.resourceUsage().maxRSS}))`;
    const walls = [];
    const inproc = [];
    let rss = 0;
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: HERE, encoding: 'utf8' });
      const wall = performance.now() - started;
      if (r.status !== 0) throw new Error(`import ${spec}: ${r.stderr}`);
      if (i === 0) continue; // warm-up (file cache)
      const j = JSON.parse(r.stdout);
      walls.push(wall);
      inproc.push(j.ms);
      rss = Math.max(rss, j.rss);
    }
    rows.push({ label, wallMs: median(walls), importMs: median(inproc), maxRssKb: rss, runs });
  }
  return rows;
}

/** Trap check, run last: does a plain isomorphic-git statusMatrix (node:fs, defaults) rewrite .git/index? */
async function isoIndexTrap() {
  const timeStatus = async () => {
    const s = performance.now();
    await git(['--no-optional-locks', 'status', '--porcelain']);
    return performance.now() - s;
  };
  const statusBefore = await timeStatus();
  const code = `
    import * as fs from 'node:fs'; import * as iso from 'isomorphic-git';
    await iso.statusMatrix({ fs, dir: ${JSON.stringify(REPO)} });`;
  const before = indexFingerprint();
  const describe = () => {
    const b = fs.readFileSync(REAL_INDEX);
    // Heuristic: the cache-tree extension's signature (no file in this repo is named TREE).
    return { bytes: b.length, version: b.readUInt32BE(4), entries: b.readUInt32BE(8), cacheTreeExtension: b.includes(Buffer.from('TREE')) };
  };
  const shapeBefore = describe();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: HERE, encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(r.stderr);
  const changed = before !== indexFingerprint();
  const shapeAfter = describe();
  const statusAfter = await timeStatus();
  const statusAfter2 = await timeStatus();
  return { indexRewritten: changed, shapeBefore, shapeAfter, gitStatusMsBefore: statusBefore, gitStatusMsAfter: statusAfter, gitStatusMsAfterAgain: statusAfter2 };
}

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const fmtMb = (kb) => (kb == null ? '—' : `${Math.round(kb / 1024)} MB`);

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') {
    await worker(args[1], args[2], Number(args[3]), Number(args[4]), args[5] === 'same');
    return;
  }
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const fastRuns = Number(opt('--runs', 20));
  const snapRuns = Number(opt('--snapshot-runs', 5));
  const only = opt('--only', null)?.split(','); // e.g. --only snapshot,log
  // Snapshot runs on content already stored by the warm-up (no new objects): the cost of the stat walk alone.
  const sameContent = args.includes('--same-content');
  const keep = args.includes('--keep');
  const jsonOut = opt('--json', null);
  if (fastRuns < 5 || snapRuns < 5) throw new Error('at least 5 runs');

  const started = performance.now();
  const gitVersion = gitSync(['--version'], { cwd: HERE }).trim();
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    git: gitVersion,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    isomorphicGit: JSON.parse(fs.readFileSync(join(HERE, 'node_modules/isomorphic-git/package.json'), 'utf8')).version,
    simpleGit: JSON.parse(fs.readFileSync(join(HERE, 'node_modules/simple-git/package.json'), 'utf8')).version,
    peakRss: HAVE_TIME ? '/usr/bin/time -v (max over the worker and the git processes it spawned)' : 'process.resourceUsage().maxRSS of the worker',
  };
  console.error(`# ${env.git}, node ${env.node}, ${env.cpus} cpus; isomorphic-git ${env.isomorphicGit}, simple-git ${env.simpleGit}`);

  console.error('# generating the repository ...');
  const repo = await setup();
  console.error(`# repo: ${repo.tracked} tracked files, ${(repo.bytes / 1e6).toFixed(1)} MB, ${repo.modified} modified, ${repo.untracked} untracked, ${repo.ignored} ignored; setup ${repo.seconds.toFixed(1)} s`);

  const probe = await probeSimpleGit();

  const results = [];
  for (const [op, def] of Object.entries(OPS)) {
    if (only && !only.includes(op)) continue;
    for (const variant of Object.keys(def).filter((k) => k !== 'title')) {
      const runs = FAST_OPS.has(op) ? fastRuns : snapRuns;
      const warmups = FAST_OPS.has(op) ? 2 : 1;
      const r = await measureWorker(op, variant, runs, warmups, sameContent);
      results.push(r);
      console.error(r.error
        ? `# ${op} / ${variant}: ERROR ${r.error}`
        : `# ${op} / ${variant}: median ${fmtMs(median(r.times))}, peak ${fmtMb(r.maxRssKb)}, ${r.signature}${r.indexUnchanged ? '' : ' [.git/index CHANGED]'}`);
    }
  }

  const imports = only ? [] : await measureImports(10);
  const trap = only ? null : await isoIndexTrap();

  // ------------------------------------------------------------------ report
  const lines = [];
  lines.push(`## Engine measurements (${env.date.slice(0, 10)})`, '');
  lines.push(`Machine: ${env.cpus} cores (${env.cpuModel}), ${env.memGiB} GiB, ${env.platform}; Node ${env.node}; ${env.git}; isomorphic-git ${env.isomorphicGit}; simple-git ${env.simpleGit}.`);
  lines.push(`Repo: ${repo.tracked} tracked files (${(repo.bytes / 1e6).toFixed(1)} MB of content; base commit packed), ${repo.modified} modified, ${repo.untracked} untracked, ${repo.ignored} ignored; 1,000-commit chain and 1,000 loose refs under refs/sessions/.`);
  lines.push(`Medians of ${fastRuns} runs (fast operations, after 2 warm-ups) or ${snapRuns} runs (snapshots, after 1 warm-up), each engine in its own process. ${sameContent ? 'Snapshot runs repeat the same content (--same-content): after the warm-up every object already exists, so this is the cost of the walk alone.' : 'Before every snapshot run the 150 edited files get new content (untimed), so each run hashes and stores new objects; the ids shown come from one more untimed run on content common to all engines.'} Peak RSS: ${env.peakRss}.`, '');
  lines.push('| operation | engine | median | min–max | peak RSS | result | .git/index untouched |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const title = OPS[r.op].title;
    if (r.error) {
      lines.push(`| ${title} | ${r.variant} | error | | | ${r.error.replace(/\|/g, '/')} | |`);
      continue;
    }
    const sig = r.op === 'snapshot' ? `tree ${r.check.tree?.slice(0, 12)}, commit ${r.check.commit?.slice(0, 12)}` : r.signature;
    lines.push(`| ${title} | ${r.variant} | **${fmtMs(median(r.times))}** | ${fmtMs(Math.min(...r.times))}–${fmtMs(Math.max(...r.times))} | ${fmtMb(r.maxRssKb)} | ${sig}${r.stable ? '' : ' (UNSTABLE)'} | ${r.indexUnchanged ? 'yes' : '**no**'}${r.worktreeAndHeadUnchanged === false ? ', worktree/HEAD CHANGED' : ''} |`);
  }
  lines.push('');

  // Cross-engine agreement per operation.
  lines.push('### Do the engines agree?', '');
  for (const op of Object.keys(OPS)) {
    const rs = results.filter((r) => r.op === op && !r.error);
    if (!rs.length) continue;
    const key = (r) => (op === 'snapshot' ? r.check.tree : r.signature);
    const sigs = new Set(rs.map(key));
    let line = `- ${OPS[op].title}: ${sigs.size === 1 ? 'all agree' : `**differ**: ${rs.map((r) => `${r.variant}=${key(r)}`).join('; ')}`}`;
    if (op === 'snapshot') {
      const commits = new Set(rs.map((r) => r.check.commit));
      line += `; tree ${[...sigs][0]}; commit ids ${commits.size === 1 ? 'identical too' : `differ (${[...commits].map((c) => c?.slice(0, 12)).join(', ')})`}`;
      for (const r of rs) if (r.check.tempIndexWrites != null) line += `; ${r.variant}: temp index written ${r.check.tempIndexWrites}×`;
    }
    if (op === 'cas') line += `; stale expectation refused: ${rs.map((r) => `${r.variant}=${r.check.staleRefused}`).join(', ')}`;
    lines.push(line);
  }
  lines.push('');

  if (imports.length) {
    lines.push('### (g) Module load in a fresh process', '');
    lines.push('| what | wall (spawn → exit) | import() inside | peak RSS |');
    lines.push('|---|---|---|---|');
    for (const i of imports) lines.push(`| ${i.label} | ${fmtMs(i.wallMs)} | ${i.importMs ? fmtMs(i.importMs) : '—'} | ${fmtMb(i.maxRssKb)} |`);
    lines.push('');
  }

  lines.push('### simple-git 4 and GIT_* variables (probe)', '');
  for (const v of probe) lines.push(`- ${v.what}: ${v.ok ? `resolved → \`${v.value}\`` : `rejected → ${v.error}`}`);
  lines.push('');
  if (trap) {
    lines.push('### isomorphic-git statusMatrix with node:fs on the real repo (run last)', '');
    lines.push(`- .git/index rewritten: ${trap.indexRewritten}; before ${JSON.stringify(trap.shapeBefore)}, after ${JSON.stringify(trap.shapeAfter)}`);
    lines.push(`- \`git status\` before ${fmtMs(trap.gitStatusMsBefore)}, right after ${fmtMs(trap.gitStatusMsAfter)}, again ${fmtMs(trap.gitStatusMsAfterAgain)}`);
    lines.push('');
  }
  lines.push(`Total run: ${((performance.now() - started) / 1000).toFixed(0)} s.`);

  console.log(lines.join('\n'));
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ env, repo, probe, results, imports, trap }, null, 2));
  if (!keep) {
    // Remove the generated repository, but not the --json file if it was written inside .work/.
    const keepFile = jsonOut ? resolve(jsonOut) : null;
    for (const name of fs.readdirSync(WORK)) {
      const p = join(WORK, name);
      if (p !== keepFile) fs.rmSync(p, { recursive: true, force: true });
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
