// The package as a user gets it: `npm pack` in a copy of the sources as a fresh clone has them (no dist/), the
// tarball installed into a global prefix of its own, then the installed `specmap` and `specmap-record` run a
// session and the library is imported from it. The build inside `npm pack` is the package's `prepare` script.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, scratch } from '../support/repo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const run = promisify(execFile);

/**
 * npm's environment: this process's, minus what an outer `npm test` put there about its own project (prefix,
 * lifecycle, package); the user's npm settings (cache, registry, certificates, proxies) stay. The Node under test
 * comes first on PATH, so npm and the installed `#!/usr/bin/env node` binaries run on it.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|userconfig|globalconfig|cafile|registry|.*proxy|strict_ssl|@.*:registry)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.test(k)) env[k] = v;
  return { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

async function npm(args: string[], cwd: string): Promise<string> {
  try {
    return (await run('npm', args, { cwd, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The sources as a clone has them: every tracked file and every untracked one that is not ignored (so no dist/). */
function copySources(to: string): void {
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const rel of list) {
    const from = join(ROOT, rel);
    if (rel === '' || rel === 'node_modules' || !existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(to, rel)), { recursive: true });
    copyFileSync(from, join(to, rel));
    chmodSync(join(to, rel), statSync(from).mode & 0o777);
  }
}

let tarball = '';
let entries: string[] = [];
let unpacked = '';
let prefix = '';

describe('the npm package', () => {
  beforeAll(async () => {
    const base = scratch('specmap-package-');
    const src = join(base, 'src');
    mkdirSync(src);
    copySources(src);
    expect(existsSync(join(src, 'dist'))).toBe(false);
    // The build needs the dev dependencies (tsc, esbuild), as a clone has them after `npm ci`.
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(src, 'node_modules'), 'dir');
    const out = join(base, 'out');
    mkdirSync(out);
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], src)) as Array<{ filename: string }>;
    tarball = join(out, packed[0]!.filename);
    entries = (await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 })).stdout.split('\n').filter((l) => l !== '' && !l.endsWith('/'));
    unpacked = join(base, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked]);
    prefix = join(base, 'prefix');
    // The dependencies come from npm's cache when it has them (it does after `npm ci`), else from the registry.
    await npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], base);
  }, 600_000);

  it('holds the built CLI, the library, the plugin, the hooks and the license, and no test or build files', () => {
    const files = entries.map((e) => e.replace(/^package\//, ''));
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/bin/specmap.cjs', 'dist/bin/run-bundle.cjs', 'dist/bin/git-hook.cjs', 'dist/bundle/specmap.cjs', 'dist/bundle/git-hook.cjs', 'dist/index.js', 'dist/index.d.ts', 'bin/specmap', 'bin/specmap-record', '.claude-plugin/plugin.json', '.claude-plugin/marketplace.json']) {
      expect(files, f).toContain(f);
    }
    // Everything the plugin and `specmap hooks install` read at run time, as the sources have it.
    for (const dir of ['hooks', 'skills', '.claude-plugin', 'bin']) {
      const want = walk(join(ROOT, dir)).map((f) => posix.join(dir, f));
      expect(want.length, dir).toBeGreaterThan(0);
      expect(files.filter((f) => f.startsWith(`${dir}/`)).sort(), dir).toEqual(want.sort());
    }
    expect(readFileSync(join(unpacked, 'package', 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} specmap contributors\n/);
    expect(files.filter((f) => /^(test|bench|scripts|docs|\.ci|node_modules)\/|^tsconfig\.json$|^vitest\.config\.ts$|\.tgz$/.test(f))).toEqual([]);
  });

  it('has no source map or sourceMappingURL that points at a file the package does not ship', () => {
    const pkg = join(unpacked, 'package');
    const maps = entries.filter((e) => e.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const entry of maps) {
      const file = join(unpacked, entry);
      const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const s of map.sources) {
        const target = resolve(dirname(file), map.sourceRoot ?? '', s);
        if (!target.startsWith(`${pkg}/`) || !existsSync(target)) missing.push(`${entry} -> ${s}`);
      }
    }
    for (const entry of entries.filter((e) => /\.(c|m)?js$/.test(e))) {
      const file = join(unpacked, entry);
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, 'utf8'))?.[1];
      if (url && !url.startsWith('data:') && !existsSync(resolve(dirname(file), url))) missing.push(`${entry} -> ${url}`);
    }
    expect(missing).toEqual([]);
  });

  it('installs `specmap` and `specmap-record` as runnable binaries', async () => {
    expect(Object.keys(PKG.bin).sort()).toEqual(['specmap', 'specmap-record']);
    const { stdout } = await run(join(prefix, 'bin', 'specmap'), ['--version'], { env: npmEnv() });
    expect(stdout).toBe(`${PKG.version}\n`);
    const record = join(prefix, 'bin', 'specmap-record');
    accessSync(realpathSync(record), constants.X_OK);
    // It drops an agent event into the project's inbox without starting Node.
    const repo = makeRepo();
    const child = execFile(record, ['claude', '--event', 'PostToolUse'], { cwd: repo.dir, env: { ...repo.env, CLAUDE_PROJECT_DIR: repo.dir } });
    child.stdin!.end('{"tool_name":"Write"}');
    await new Promise<void>((done, fail) => child.on('close', (code) => (code === 0 ? done() : fail(new Error(`specmap-record exited ${code}`)))));
    const inbox = join(repo.dir, '.git', 'specmap', 'agent-inbox');
    const events = readdirSync(inbox).filter((f) => f.startsWith('ev.'));
    expect(events).toHaveLength(1);
    expect(readFileSync(join(inbox, events[0]!), 'utf8')).toContain('{"tool_name":"Write"}');
  });

  it('runs a session with the installed binary: init, start, checkpoint, restore in place, end, restore the backup', async () => {
    const repo = makeRepo();
    const bin = join(prefix, 'bin', 'specmap');
    const env = { ...repo.env, PATH: `${dirname(process.execPath)}:${repo.env.PATH ?? ''}`, SPECMAP_NOW: '2025-10-25T14:30:00' };
    const cli = async (...args: string[]) => JSON.parse((await run(bin, [...args, '--json'], { cwd: repo.dir, env })).stdout) as Record<string, unknown>;
    expect((await cli('init')).gitignore_updated).toBe(true);
    const started = await cli('start', 'packaged install');
    expect(started.session_id).toBe('2025-10-25-session-001-packaged-install');
    repo.write('src/main.js', "console.log('checkpointed');\n");
    const cp = await cli('checkpoint', '@', 'first');
    expect(cp.checkpoint_id).toBe('checkpoint-001-14-30-00');
    repo.write('src/main.js', 'clobbered\n');
    await cli('restore', '--restore-checkpoint', '@', 'checkpoint-001', 'src/main.js', '--in-place');
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('checkpointed');\n");
    const ended = await cli('end', '@');
    expect((ended.backup as { path: string }).path).toBe('04-agents/backups/sessions/2025-10-25-session-001-packaged-install-backup.zip');
    const restored = await cli('restore', '--restore-backup', '2025-10-25-session-001');
    expect(restored.destination).toBe('04-agents/sessions/active/2025-10-25-session-001-packaged-install-restored/');
    expect(existsSync(join(repo.dir, restored.destination as string, 'session.yaml'))).toBe(true);
  });

  it('exports the library (import and require) and the CLI entry from the installed package', async () => {
    const repo = makeRepo();
    const app = scratch('specmap-package-app-');
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(join(prefix, 'lib', 'node_modules', PKG.name), join(app, 'node_modules', PKG.name), 'dir');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(
      join(app, 'use.mjs'),
      `import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import * as specmap from 'specmap';
const require = createRequire(import.meta.url);
const cwd = process.argv[2];
const started = await specmap.start({ cwd, focus: 'library' });
const listed = await specmap.listSessions({ cwd });
const cli = require.resolve('specmap/cli');
const record = require.resolve('specmap/bin/specmap-record');
const version = execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
const required = Object.keys(require('specmap')).includes('listSessions');
let deep;
try { require.resolve('specmap/dist/api/start.js'); deep = 'resolved'; } catch (e) { deep = e.code; }
console.log(JSON.stringify({ started: started.session_id, listed: listed.sessions.map((s) => s.session_id), cli, record, version, deep, required }));
`,
    );
    const { stdout } = await run(process.execPath, ['use.mjs', repo.dir], { cwd: app, env: { ...repo.env, SPECMAP_NOW: '2025-10-25T14:30:00' } });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const installed = realpathSync(join(prefix, 'lib', 'node_modules', PKG.name));
    expect(out.started).toBe('2025-10-25-session-001-library');
    expect(out.listed).toEqual(['2025-10-25-session-001-library']);
    expect(out.cli).toBe(join(installed, 'dist', 'bin', 'specmap.cjs'));
    expect(out.record).toBe(join(installed, 'bin', 'specmap-record'));
    expect(out.version).toBe(`${PKG.version}\n`);
    expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(out.required).toBe(true);
  });
});

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel === '' ? e.name : posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out;
}
