import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Generated repositories, caches and working copies; SPECMAP_BENCH_WORK moves them (the harness test does). */
export const WORK = process.env.SPECMAP_BENCH_WORK || join(ROOT, 'bench', '.work');
/** A private copy of the built CLI, so a rebuild of dist/ by someone else mid-run cannot change what we measure. */
export const CLI_DIR = join(WORK, 'cli');
export const CLI = join(CLI_DIR, 'dist', 'bin', 'specmap.cjs');
/** The record-only agent hook (a shell script), as the package ships it. */
export const RECORD = join(CLI_DIR, 'bin', 'specmap-record');
export const RSS_PROBE = join(ROOT, 'bench', 'lib', 'rss-probe.mjs');

const GIT_CONFIG = join(WORK, 'gitconfig');

/**
 * This environment sets NODE_EXTRA_CA_CERTS, which makes every Node start read a CA bundle (~50 ms here; a user's
 * machine rarely has it). Children run without it; rows that say "with NODE_EXTRA_CA_CERTS" put it back.
 */
export const CA_CERTS = process.env.NODE_EXTRA_CA_CERTS ?? null;
/** The environment `env` (default the bench's) with NODE_EXTRA_CA_CERTS as this environment sets it. */
export const withCaCerts = (env = benchEnv()) => (CA_CERTS ? { ...env, NODE_EXTRA_CA_CERTS: CA_CERTS } : env);

/** Paths this run created under bench/.work/run: the only ones the run removes at the end (unless --keep). */
const scratch = new Set();
export function registerScratch(path) {
  scratch.add(path);
  return path;
}
/** A fresh, empty folder under bench/.work/run, removed at the end of the run. */
export function scratchDir(name) {
  const dir = registerScratch(join(WORK, 'run', name));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
/** Removes what this run created (and bench/.work/run itself when nothing else is left in it). */
export function removeScratch() {
  for (const p of scratch) rmSync(p, { recursive: true, force: true });
  scratch.clear();
  const runDir = join(WORK, 'run');
  if (existsSync(runDir) && readdirSync(runDir).length === 0) rmSync(runDir, { recursive: true, force: true });
}

/** Copies dist/, hooks/, bin/ and package.json aside; node_modules still resolves from the project root. */
export function snapshotCli() {
  const dist = join(ROOT, 'dist', 'bin', 'specmap.cjs');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npx tsc` (or `npm run bench`, which builds first)');
  rmSync(CLI_DIR, { recursive: true, force: true });
  mkdirSync(CLI_DIR, { recursive: true });
  cpSync(join(ROOT, 'dist'), join(CLI_DIR, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'hooks'), join(CLI_DIR, 'hooks'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(CLI_DIR, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(CLI_DIR, 'package.json'));
  // The copy resolves its packages by walking up from its own folder: outside the project it needs a way back.
  const modules = join(WORK, 'node_modules');
  if (!WORK.startsWith(ROOT) && !existsSync(modules)) symlinkSync(join(ROOT, 'node_modules'), modules);
  writeFileSync(
    GIT_CONFIG,
    '[user]\n\tname = bench\n\temail = bench@localhost\n[init]\n\tdefaultBranch = main\n'
      + '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[commit]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n',
  );
}

/** The same clean environment for specmap, git and the shell baselines: no user git config, no colour. */
export function benchEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k.startsWith('SPECMAP_') || k === 'NODE_EXTRA_CA_CERTS') continue;
    env[k] = v;
  }
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: GIT_CONFIG, LC_ALL: 'C', NO_COLOR: '1', ...extra };
}

/** Runs a command to completion; throws with its stderr on failure. Returns stdout and wall time in ms. */
export function run(cmd, args, { cwd, env, input, okCodes = [0] } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd, env: env ?? benchEnv(), input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status)) {
    throw new Error(`${cmd} ${args.join(' ').slice(0, 300)} (in ${cwd}) exited ${r.status ?? r.signal}: ${r.stderr.trim().slice(0, 2000)}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export const git = (cwd, args, opts = {}) => run('git', args, { cwd, ...opts });
export const specmap = (cwd, args, opts = {}) => run(process.execPath, [CLI, ...args], { cwd, ...opts });
export const sh = (cwd, script, opts = {}) => run('sh', ['-c', script], { cwd, ...opts });
export const specmapJson = (cwd, args, opts = {}) => JSON.parse(specmap(cwd, ['--json', ...args], opts).stdout);

export function rmrf(path) {
  rmSync(path, { recursive: true, force: true });
}

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

export const parentOf = dirname;

/** Disk used by `paths` (du -sk: allocated blocks, so a 200-byte loose object counts 4 KiB), in KiB. */
export function duKb(...paths) {
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) return 0;
  const out = run('du', ['-sk', '-c', ...present]).stdout.trim().split('\n');
  return Number(out.at(-1).split(/\s+/)[0]);
}

/** `git count-objects -v`: loose objects' KiB, packs' KiB and their sum (git's own accounting of its objects). */
export function objectsKb(gitArgs, cwd) {
  const out = run('git', [...gitArgs, 'count-objects', '-v'], { cwd }).stdout;
  const field = (name) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(out)?.[1] ?? 0);
  const loose = field('size');
  const packs = field('size-pack');
  return { loose_kb: loose, pack_kb: packs, total_kb: loose + packs, loose_count: field('count') };
}
