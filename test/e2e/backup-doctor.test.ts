import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapProject, type TestRepo } from '../support/repo.js';
import { ok, runCli, doctorFindings } from '../support/cli.js';

/**
 * Issue #18 items 1 and 4: doctor runs `backup verify` over every backup and rewrites what it can from an intact
 * source (a daily or milestone backup from its git copy, a session ZIP from the archived workspace and checkpoints).
 */

const DAY = '2025-10-25';

const project = () => specmapProject();

const findings = doctorFindings;

function flipLastCentralByte(zip: string): void {
  const bytes = readFileSync(zip);
  // A byte of the last central directory entry's name: the entry check and the archive hash both catch it.
  const cd = bytes.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
  bytes[cd + 46] ^= 0x20;
  writeFileSync(zip, bytes);
}

/** Moves a loose object out of the store (as a lost or pruned pack would leave it). */
function loseObject(repo: TestRepo, oid: string): void {
  renameSync(join(repo.dir, '.git/objects', oid.slice(0, 2), oid.slice(2)), join(repo.dir, `lost-${oid}`));
}

describe('doctor verifies every backup', () => {
  it('finds a damaged session ZIP and a damaged daily ZIP and --fix writes them again from intact sources', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    repo.write('src/a.txt', 'a\n');
    await ok(['checkpoint', '@', 'a'], o);
    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    await ok(['backup', 'daily'], { ...o, now: `${DAY}T12:00:00` });
    expect(await findings(repo)).toEqual([]);

    const sessionZip = join(repo.dir, ended.backup.path);
    flipLastCentralByte(sessionZip);
    flipLastCentralByte(join(repo.dir, `04-agents/backups/daily/${DAY}/backup.zip`));
    const found = await findings(repo);
    expect(found.map((f) => [f.check, f.subject, f.fixable])).toEqual([
      ['corrupt-backup', ended.backup.path, true],
      ['corrupt-backup', `daily ${DAY}`, true],
    ]);
    expect(found[0]!.message).toMatch(/fails verification \(.*\); it can be written again from the archived workspace/);
    expect((await runCli(['doctor'], o)).code).toBe(6);

    expect((await findings(repo, true)).every((f) => f.fixed)).toBe(true);
    expect(await findings(repo)).toEqual([]);
    await ok(['backup', 'verify'], o);
  });

  it('leaves a session ZIP whose checkpoints are gone from git as it is: it may be their only copy', async () => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'work'], o);
    repo.write('src/a.txt', 'a\n');
    const cp = JSON.parse((await ok(['checkpoint', '@', 'a', '--json'], o)).stdout);
    const ended = JSON.parse((await ok(['end', '@', '--json'], o)).stdout);
    // As after the ref and tags were deleted and git gc pruned the commit.
    for (const ref of repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions/', 'refs/tags/checkpoints/').split('\n')) repo.git('update-ref', '-d', ref);
    loseObject(repo, cp.commit);
    flipLastCentralByte(join(repo.dir, ended.backup.path));
    const f = (await findings(repo, true)).find((x) => x.check === 'corrupt-backup')!;
    expect(f).toMatchObject({ fixable: false, fixed: false });
    expect(f.message).toMatch(/checkpoint commit\(s\) are gone from git, so the ZIP may be their only copy; left as it is/);
  });
});

