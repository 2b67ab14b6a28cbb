// The launcher's V8 code cache (src/bin/run-bundle.cts): written once per command after a successful run, read
// after that, rewritten when V8 rejects it, and never read from or written to a folder others could write to.
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok, runCli } from '../support/cli.js';
import { makeRepo, scratch } from '../support/repo.js';

function setup() {
  const repo = makeRepo();
  const tmp = scratch('specmap-cache-tmp-');
  const env = { ...repo.env, TMPDIR: tmp };
  const folder = join(tmp, `specmap-code-cache-${process.getuid!()}`);
  return { repo, env, folder };
}

const caches = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.bin')).sort();

describe('code cache', () => {
  it('is written after the first successful run of a command, then used as it is', async () => {
    const { repo, env, folder } = setup();
    await ok(['init'], { cwd: repo.dir, env });
    const first = await ok(['list'], { cwd: repo.dir, env });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const files = caches(folder);
    expect(files.filter((f) => f.startsWith('specmap-') && f.endsWith('-list.bin'))).toHaveLength(1);
    expect(files.some((f) => f.endsWith('-init.bin'))).toBe(true);
    const file = join(folder, files.find((f) => f.endsWith('-list.bin'))!);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(10_000);
    const second = await ok(['list'], { cwd: repo.dir, env });
    expect(second.stdout).toBe(first.stdout);
    // Accepted, so not written again.
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('rewrites a cache V8 rejects, and the command still answers the same', async () => {
    const { repo, env, folder } = setup();
    await ok(['init'], { cwd: repo.dir, env });
    const first = await ok(['list', '--json'], { cwd: repo.dir, env });
    const file = join(folder, caches(folder).find((f) => f.endsWith('-list.bin'))!);
    writeFileSync(file, Buffer.alloc(4096, 0x5a));
    const again = await ok(['list', '--json'], { cwd: repo.dir, env });
    expect(again.stdout).toBe(first.stdout);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    expect(readFileSync(file).length).toBeGreaterThan(10_000);
  });

  it('leaves nothing behind for a command that failed', async () => {
    const { repo, env, folder } = setup();
    const r = await runCli(['no-such-command'], { cwd: repo.dir, env });
    expect(r.code).not.toBe(0);
    expect(caches(folder)).toEqual([]);
  });

  it('never uses a folder that others can write to', async () => {
    const { repo, env, folder } = setup();
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    await ok(['init'], { cwd: repo.dir, env });
    const r = await ok(['list'], { cwd: repo.dir, env });
    expect(r.stdout).toContain('No active sessions');
    expect(caches(folder)).toEqual([]);
  });

  it('--version answers from package.json without the bundle', async () => {
    const { repo, env } = setup();
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect((await ok(['--version'], { cwd: repo.dir, env })).stdout).toBe(`${pkg.version}\n`);
    expect((await ok(['-V'], { cwd: repo.dir, env })).stdout).toBe(`${pkg.version}\n`);
  });
});
