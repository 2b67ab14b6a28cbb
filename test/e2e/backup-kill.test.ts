import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specmapProject, type TestRepo } from '../support/repo.js';
import { ok, runCli } from '../support/cli.js';

/**
 * Issue #18 item 4: a backup whose git copy and ZIP disagree after a kill. Each named step of `backup daily` and
 * `backup milestone --force` is reached deterministically (SPECMAP_TEST_KILL_AT=<step>: the process SIGKILLs itself
 * there, shared/kill-point.ts). After each: the git copy is never absent, `doctor --fix` repairs what is left, then
 * `doctor` finds nothing, `backup verify` passes, and the backup restores either the old or the new content.
 */

const DAY = '2025-10-25';

const project = () => specmapProject({ '00-governance/charter.md': 'old charter\n' });

async function killedAt(repo: TestRepo, step: string, args: string[], now?: string) {
  const r = await runCli(args, { cwd: repo.dir, env: { ...repo.env, SPECMAP_TEST_KILL_AT: step }, now });
  // Killed by its own SIGKILL: no exit code, nothing printed on success.
  expect(r.code, `${step}: ${r.stderr}`).toBe(-1);
  expect(r.stdout).toBe('');
}

async function healed(repo: TestRepo, restore: string[]): Promise<string> {
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['doctor', '--fix'], o);
  const after = await runCli(['doctor', '--json'], o);
  expect(JSON.parse(after.stdout).findings, after.stdout).toEqual([]);
  expect(after.code).toBe(0);
  await ok(['backup', 'verify'], o);
  const out = `restored-${Math.random().toString(36).slice(2)}`;
  await ok([...restore, '--to', out], o);
  return readFileSync(join(repo.dir, out, '00-governance/charter.md'), 'utf8');
}

describe('backup daily: every kill point leaves the old backup or the new one', () => {
  it.each(['daily:exported', 'replace:old-aside', 'daily:ref-moved'])('killed at %s', async (step) => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'daily'], { ...o, now: `${DAY}T10:00:00` });
    const ref = `refs/backups/daily/${DAY}`;
    const first = repo.git('rev-parse', ref);
    repo.write('00-governance/charter.md', 'new charter\n');
    await killedAt(repo, step, ['backup', 'daily'], `${DAY}T11:00:00`);

    const now = repo.git('rev-parse', ref);
    if (step === 'daily:exported') {
      // The ZIP and manifest were complete aside, but the ref had not moved: the old backup stands as it was.
      expect(now).toBe(first);
      expect((await runCli(['backup', 'verify', DAY], o)).code).toBe(0);
    } else {
      expect(repo.git('rev-parse', `${ref}^`)).toBe(first);
    }
    if (step === 'daily:ref-moved') {
      // The ref moved, the folder is the old one: doctor sees the ZIP and its git copy disagree, and can fix it.
      const found = JSON.parse((await runCli(['doctor', '--json'], o)).stdout).findings;
      expect(found).toContainEqual(expect.objectContaining({ check: 'corrupt-backup', subject: `daily ${DAY}`, fixable: true }));
    }
    const content = await healed(repo, ['restore', '--restore-daily', DAY]);
    expect(content).toBe(step === 'daily:exported' ? 'old charter\n' : 'new charter\n');
  });
});

describe('backup milestone --force: the tag is never absent and every kill point is recoverable', () => {
  it.each(['milestone:zip-written', 'milestone:manifest-written', 'milestone:tag-moved', 'milestone:zip-placed'])('killed at %s', async (step) => {
    const repo = project();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['backup', 'milestone', 'm1'], o);
    const oldTag = repo.git('rev-parse', 'refs/tags/milestones/m1');
    repo.write('00-governance/charter.md', 'new charter\n');
    await killedAt(repo, step, ['backup', 'milestone', 'm1', '--force']);

    const tag = repo.git('rev-parse', 'refs/tags/milestones/m1');
    const moved = step === 'milestone:tag-moved' || step === 'milestone:zip-placed';
    if (moved) expect(tag).not.toBe(oldTag);
    else expect(tag).toBe(oldTag);
    expect(existsSync(join(repo.dir, '04-agents/backups/milestones/m1.zip'))).toBe(true);
    if (!moved) expect((await runCli(['backup', 'verify', 'm1'], o)).code).toBe(0);
    const content = await healed(repo, ['restore', '--restore-milestone', 'm1']);
    expect(content).toBe(moved ? 'new charter\n' : 'old charter\n');
  });
});
