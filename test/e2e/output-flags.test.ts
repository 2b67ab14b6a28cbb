import { describe, expect, it } from 'vitest';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { makeRepo } from '../support/repo.js';

/** A session whose one checkpoint holds twelve new files. */
async function twelveFiles() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'many files'], { ...o, now: '2025-10-25T09:00:00' });
  for (let i = 0; i < 12; i++) repo.write(`src/f${String(i).padStart(2, '0')}.js`, `export const n = ${i};\n`);
  return { repo, o };
}

describe('--quiet', () => {
  it('prints nothing but errors, and the JSON result under --json', async () => {
    const { repo, o } = await twelveFiles();
    const quiet = await ok(['--quiet', 'checkpoint', '@', 'Quietly'], o);
    expect(quiet).toMatchObject({ stdout: '', stderr: '' });
    // It did its work.
    const log = JSON.parse((await ok(['log', '--json'], o)).stdout) as { checkpoints: { description: string }[] };
    expect(log.checkpoints.map((c) => c.description)).toEqual(['Quietly']);
    expect((await ok(['-q', 'log'], o)).stdout).toBe('');
    const json = await ok(['-q', '--json', 'list'], o);
    expect(JSON.parse(json.stdout).sessions).toHaveLength(1);
    // Errors still say what went wrong, in one line, with the exit status.
    const bad = await runCli(['--quiet', 'show', 'no-such-session'], o);
    expect(bad.code).not.toBe(0);
    expect(oneLineError(bad)).toMatch(/no-such-session/);
    void repo;
  });
});

describe('--verbose', () => {
  it('lists every file of a checkpoint and a restore, wherever -v stands; without it, ten and a count', async () => {
    const { o } = await twelveFiles();
    const short = (await ok(['checkpoint', '@', 'Twelve files'], o)).stdout;
    // Twelve files and the session's workspace: ten names, then the rest counted.
    expect(short).toMatch(/^📁 Files snapshotted: 1\d files \(1\d added\): .*, … and \d more \(--verbose lists them all\)$/m);

    const restored = (await ok(['restore', '--restore-checkpoint', '@', '~0'], o)).stdout;
    expect(restored).toMatch(/^📁 Into 04-agents\/sessions\/active\/.*-restored\/: 1\d files$/m);
    expect(restored).toMatch(/^ {3}… and \d more \(--verbose lists them all\)$/m);
    expect(restored).not.toContain('src/f11.js');

    for (const args of [['-v', 'restore', '--restore-checkpoint', '@', '~0', '--force'], ['restore', '--restore-checkpoint', '@', '~0', '--force', '--verbose']]) {
      const all = (await ok(args, o)).stdout;
      expect(all).toContain('   src/f11.js');
      expect(all).not.toContain('more (--verbose');
    }
  });

  it("keeps checkpoint's own -v working, before or after its arguments", async () => {
    const { repo, o } = await twelveFiles();
    const after = (await ok(['checkpoint', '@', 'All of them', '-v'], o)).stdout;
    expect(after).toContain('src/f11.js');
    expect(after).not.toContain('more (--verbose');
    repo.write('src/f00.js', 'export const n = 100;\n');
    const before = (await ok(['-v', 'checkpoint', '@', 'One more'], o)).stdout;
    expect(before).toMatch(/^📁 Files snapshotted: src\/f00\.js$/m);
  });
});

describe('counts and sizes in the text output', () => {
  it('says "1 file" and "1 session", and sizes in binary units with what they measure', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['init'], o);
    repo.write('01-specifications/only.md', '# The one spec\n');
    const daily = (await ok(['backup', 'daily'], o)).stdout;
    expect(daily).toMatch(/^📦 Daily backup \d{4}-\d{2}-\d{2}: 1 file, \d+ B; ZIP [\d.]+ (B|KiB) on disk$/m);
    const list = (await ok(['backup', 'list'], o)).stdout;
    expect(list.split('\n')[0]).toMatch(/^KIND\s+NAME\s+WRITTEN\s+FILES\s+ON DISK\s+ZIP\s+GIT COPY$/);
    expect(list).toMatch(/daily\s+\S+\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d\d:\d\d\s+1\s+[\d.]+ (B|KiB)\s+/);
    const json = JSON.parse((await ok(['backup', 'daily', '--json'], o)).stdout) as { bytes: number; zip_bytes: number };
    expect(json.bytes).toBe('# The one spec\n'.length);
    expect(json.zip_bytes).toBeGreaterThan(json.bytes);

    await ok(['start', 'single'], { ...o, now: '2025-10-25T09:00:00' });
    const shown = (await ok(['show', '@'], o)).stdout;
    expect(shown).toMatch(/^Started: {4}2025-10-25 09:00:00 [+-]\d\d:\d\d$/m);
    const ended = (await ok(['end', '@'], { ...o, now: '2025-10-25T09:01:00' })).stdout;
    expect(ended).toContain('📊 Duration: 1 minute\n');
    expect(ended).toMatch(/📦 Backup: \S+-backup\.zip \(\d+ entries, [\d.]+ KiB on disk\)/);
    const all = `${daily}${list}${shown}${ended}`;
    expect(all).not.toMatch(/\b1 (files|sessions|checkpoints|minutes|problems|backups|refs)\b/);
    expect(all).not.toContain('(s)');
  });
});
