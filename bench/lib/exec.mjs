import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Generated repositories, caches and working copies; SPECMAP_BENCH_WORK moves them (the harness test does). */
export const WORK = process.env.SPECMAP_BENCH_WORK || join(ROOT, 'bench', '.work');
/** A private copy of the built CLI, so a rebuild of dist/ by someone else mid-run cannot change what we measure. */
export const CLI_DIR = join(WORK, 'cli');
export const CLI = join(CLI_DIR, 'dist', 'bin', 'specmap.js');
export const RSS_PROBE = join(ROOT, 'bench', 'lib', 'rss-probe.mjs');

const GIT_CONFIG = join(WORK, 'gitconfig');

/** Copies dist/, hooks/ and package.json aside; node_modules still resolves from the project root. */
export function snapshotCli() {
  const dist = join(ROOT, 'dist', 'bin', 'specmap.js');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npx tsc` (or `npm run bench`, which builds first)');
  rmSync(CLI_DIR, { recursive: true, force: true });
  mkdirSync(CLI_DIR, { recursive: true });
  cpSync(join(ROOT, 'dist'), join(CLI_DIR, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'hooks'), join(CLI_DIR, 'hooks'), { recursive: true });
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
    if (k.startsWith('GIT_') || k.startsWith('SPECMAP_')) continue;
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
