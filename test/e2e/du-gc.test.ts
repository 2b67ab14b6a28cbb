import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { diskUsageResult } from '../../src/api/contract/disk-usage.js';
import { gcResult } from '../../src/api/contract/gc.js';
import { mulberry32 } from '../support/prng.js';
import { doctorFindings, ok, oneLineError, runCli } from '../support/cli.js';
import { makeRepo, type TestRepo } from '../support/repo.js';

const NOW = '2025-10-25T10:00:00';

/** A project with one ended session (its ZIP written) and one active one; a file of noise in both checkpoints. */
async function project(): Promise<{ repo: TestRepo; ended: string; active: string; o: { cwd: string; env: NodeJS.ProcessEnv; now: string } }> {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env, now: NOW };
  const next = mulberry32(7);
  repo.write('data/noise.bin', Buffer.from(Array.from({ length: 40_000 }, () => Math.floor(next() * 256))));
  const ended = JSON.parse((await ok(['start', 'first', '--json'], o)).stdout).session_id as string;
  await ok(['checkpoint', '@', 'noise'], o);
  await ok(['end', '@'], o);
  const active = JSON.parse((await ok(['start', 'second', '--json'], { ...o, now: '2025-10-25T11:00:00' })).stdout).session_id as string;
  repo.write('b.txt', 'b\n');
  await ok(['checkpoint', '@', 'b'], { ...o, now: '2025-10-25T11:05:00' });
  return { repo, ended, active, o };
}

function strict(schema: z.ZodObject, stdout: string): Record<string, any> {
  const parsed = schema.strict().safeParse(JSON.parse(stdout));
  expect(parsed.success ? '' : parsed.error.message).toBe('');
  return JSON.parse(stdout);
}

/** Every file of the working tree and .git with size and mtime, and every ref. */
const state = (repo: TestRepo) => `${execFileSync('find', ['.', '-type', 'f', '-printf', '%p %s %T@\n'], { cwd: repo.dir, encoding: 'utf8' }).split('\n').sort().join('\n')}\n${repo.git('for-each-ref')}`;

describe('specmap du', () => {
  it('prints a table in binary units and, with --json, exactly the contract', async () => {
    const { repo, ended, active, o } = await project();
    const text = (await ok(['du'], o)).stdout;
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+STATE\s+CHECKPOINTS\s+GIT\s+ONLY HERE\s+TRANSCRIPT\s+ZIP\s+FOLDER$/);
    expect(lines[1]).toMatch(new RegExp(`^${ended}\\s+archive\\s+1\\s+\\d+\\.\\d KiB\\s+`));
    expect(lines[2]).toMatch(new RegExp(`^${active}\\s+active\\s+1\\s+\\d+\\.\\d KiB\\s+`));
    expect(text).toMatch(/^Objects: +\d+ loose \(\d+\.\d KiB\), 0 in 0 packs \(0 B\); gc\.auto off$/m);

    const all = strict(diskUsageResult, (await ok(['du', '--json'], o)).stdout);
    expect(all.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([ended, active]);
    expect(all.sessions[0].git_bytes).toBeGreaterThan(40_000);
    expect(all.sessions[0].zip_bytes).toBeGreaterThan(40_000);
    const one = strict(diskUsageResult, (await ok(['du', ended.slice(0, 28), '--json'], o)).stdout);
    expect(one.sessions).toEqual([all.sessions[0]]);
    expect(one.totals).toEqual(all.totals);

    const r = await runCli(['du', 'no-such-session'], o);
    expect([r.code, oneLineError(r)]).toEqual([4, expect.stringContaining('no-such-session')]);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ended}-backup.zip`))).toBe(true);
  });
});

describe('specmap gc', () => {
  it('--dry-run changes nothing; then drops the ZIP git holds, and restores still read git', async () => {
    const { repo, ended, o } = await project();
    const before = state(repo);
    const dry = strict(gcResult, (await ok(['gc', '--keep-session-zips', '0', '--dry-run', '--json'], o)).stdout);
    expect(dry.removed.map((x: { name: string }) => x.name)).toEqual([ended]);
    expect(state(repo)).toBe(before);
    expect((await ok(['gc', '--keep-session-zips', '0', '--dry-run'], o)).stdout).toMatch(new RegExp(`^Policy: session ZIPs: drop every one git and its folder hold; safety snapshots: drop after 30 days when other refs hold them\\.\\nWould remove 1 item, \\d+\\.\\d KiB of files:\\n  session ZIP ${ended}: `));

    const text = (await ok(['gc', '--keep-session-zips', '0'], o)).stdout;
    expect(text).toMatch(/^Removed 1 item, /m);
    expect(text).toContain('Loose objects: ');
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ended}-backup.zip`))).toBe(false);
    const cps = JSON.parse((await ok(['restore', '--list-checkpoints', ended, '--json'], o)).stdout);
    expect(cps.checkpoints.map((c: { source: string }) => c.source)).toEqual(['git']);
    // What gc leaves is a consistent project: doctor finds nothing to say.
    expect(await doctorFindings(repo)).toEqual([]);
    expect((await ok(['gc', '--keep-session-zips', '0'], o)).stdout).toMatch(/^Nothing to remove\./m);
  });

  it('keeps the ZIP when the refs are gone, saying why', async () => {
    const { repo, ended, o } = await project();
    for (const ref of repo.git('for-each-ref', '--format=%(refname)').split('\n').filter((r) => r.includes(ended))) repo.git('update-ref', '-d', ref);
    const r = strict(gcResult, (await ok(['gc', '--keep-session-zips', '0', '--json'], o)).stdout);
    expect([r.removed, r.held_back.map((x: { name: string }) => x.name)]).toEqual([[], [ended]]);
    expect((await ok(['gc', '--keep-session-zips', '0'], o)).stdout).toContain(`Kept 1 the policy would drop, as the last copy of something:\n  session ZIP ${ended}: git no longer holds checkpoint`);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ended}-backup.zip`))).toBe(true);
  });

  it('packs loose objects past a small gc.auto', async () => {
    const { repo, o } = await project();
    repo.git('config', 'gc.auto', '3');
    const r = strict(gcResult, (await ok(['gc', '--json'], o)).stdout);
    expect(r.loose_objects.packed).toBe(true);
    expect(r.loose_objects.after).toBeLessThanOrEqual(3);
    expect(repo.git('count-objects', '-v')).toMatch(/^packs: 1$/m);
  });

  it('refuses bad counts with one line, and waits for no one: a held lock is LOCKED, du still reads', async () => {
    const { repo, ended, o } = await project();
    for (const args of [['--keep-session-zips', 'x'], ['--older-than', '1.5'], ['--safety-older-than', '']]) {
      const r = await runCli(['gc', ...args], o);
      expect([r.code, oneLineError(r)]).toEqual([5, expect.stringContaining(args[0]!)]);
    }
    const bad = await runCli(['gc', '--keep', '3'], o);
    expect([bad.code, oneLineError(bad)]).toEqual([2, expect.stringContaining('--keep')]);

    writeFileSync(join(repo.dir, '.git', 'specmap.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    const locked = await runCli(['gc', '--keep-session-zips', '0'], { ...o, env: { ...o.env, SPECMAP_LOCK_TIMEOUT_MS: '0' } });
    expect([locked.code, oneLineError(locked)]).toEqual([7, expect.stringContaining('lock')]);
    expect(existsSync(join(repo.dir, '04-agents/backups/sessions', `${ended}-backup.zip`))).toBe(true);
    await ok(['du'], o);
  });
});
