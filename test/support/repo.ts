import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A scratch folder removed after the test file; realpath'd so paths compare equal on any tmpdir. */
export function scratch(prefix = 'specmap-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  roots.push(dir);
  return dir;
}

/** The environment every git and specmap call in tests runs with: no user or system config leaks in. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('SPECMAP_')) delete env[k];
  return {
    ...env,
    HOME: home,
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    ...extra,
  };
}

export interface TestRepo {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  write(rel: string, content: string | Buffer): void;
  commitAll(message: string): string;
}

export interface RepoOptions {
  /** Make an initial commit (default true). */
  commit?: boolean;
  /** Set user.name / user.email (default true). */
  identity?: boolean;
}

/** A real repository on branch main with gc and maintenance off and an isolated global config. */
export function makeRepo(opts: RepoOptions = {}): TestRepo {
  const base = scratch();
  const home = join(base, 'home');
  const dir = join(base, 'repo');
  mkdirSync(home);
  mkdirSync(dir);
  const cfg = ['[init]', '\tdefaultBranch = main', '[gc]', '\tauto = 0', '[maintenance]', '\tauto = false', '[commit]', '\tgpgsign = false'];
  if (opts.identity !== false) cfg.push('[user]', '\tname = Test User', '\temail = test@example.com');
  writeFileSync(join(home, '.gitconfig'), `${cfg.join('\n')}\n`);
  const env = isolatedEnv(home);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trimEnd();
  const write = (rel: string, content: string | Buffer) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  };
  const commitAll = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q');
  if (opts.commit !== false) {
    write('README.md', '# test project\n');
    write('src/main.js', "console.log('hi');\n");
    commitAll('Initial commit');
  }
  return { dir, home, env, git, write, commitAll };
}

/**
 * A repository laid out as a SpecMap project (a governance charter and TRACKING.md, the daily backup's items),
 * committed; `files` adds files or replaces those.
 */
export function specmapProject(files: Record<string, string> = {}): TestRepo {
  const repo = makeRepo();
  const all = { '00-governance/charter.md': '# Charter\n', 'TRACKING.md': '# Tracking\n', ...files };
  for (const [rel, text] of Object.entries(all)) repo.write(rel, text);
  repo.commitAll('SpecMap layout');
  return repo;
}
