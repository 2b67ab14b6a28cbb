import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok } from '../support/cli.js';
import { pruneBackupsResult } from '../../src/api/contract/prune-backups.js';

const SESSIONS = '04-agents/backups/sessions';

function strict(schema: z.ZodObject, stdout: string) {
  const parsed = schema.strict().safeParse(JSON.parse(stdout));
  expect(parsed.success ? '' : parsed.error.message).toBe('');
  return JSON.parse(stdout);
}

/** Every file in backups/sessions/ with its bytes, and every ref: what a prune may change. */
function state(repo: TestRepo) {
  const dir = join(repo.dir, SESSIONS);
  return {
    files: Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')])),
    refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
  };
}

/** Two ended sessions, each with a checkpoint and its ZIP; then the refs of the first are deleted. */
async function project() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  const ids: string[] = [];
  for (const [i, focus] of ['lost refs', 'covered'].entries()) {
    const at = (t: string) => `2025-10-2${i + 1}T${t}`;
    ids.push(JSON.parse((await ok(['start', focus, '--json'], { ...o, now: at('10:00:00') })).stdout).session_id);
    repo.write(`src/${i}.txt`, `${focus}\n`);
    await ok(['checkpoint', '@', `${focus} work`], { ...o, now: at('10:10:00') });
    await ok(['end', '@'], { ...o, now: at('10:20:00') });
  }
  const [lost, covered] = ids as [string, string];
  // As a careless `git update-ref -d` would leave it: the checkpoints are in no ref now, only in the ZIP.
  for (const ref of repo.git('for-each-ref', '--format=%(refname)').split('\n').filter((r) => r.includes(lost))) repo.git('update-ref', '-d', ref);
  return { repo, o, lost, covered };
}

describe('specmap backup prune --sessions', () => {
  it('never deletes a ZIP whose content git does not hold: the covered one goes, the other is held back with the reason; --dry-run says the same', async () => {
    const { repo, o, lost, covered } = await project();
    const before = state(repo);

    const dry = strict(pruneBackupsResult, (await ok(['backup', 'prune', '--sessions', '0', '--dry-run', '--json'], o)).stdout);
    expect(dry.dry_run).toBe(true);
    expect(dry.deleted).toEqual([{
      kind: 'session', name: covered,
      paths: [`${SESSIONS}/${covered}-backup.zip`, `${SESSIONS}/${covered}-backup.manifest.json`, `${SESSIONS}/${covered}-backup.zip.sha256`],
    }]);
    expect(dry.held_back).toEqual([{ kind: 'session', name: lost, reason: expect.stringMatching(/^git no longer holds checkpoint checkpoint-001-/) }]);
    const dryText = (await ok(['backup', 'prune', '--sessions', '0', '--dry-run'], o)).stdout;
    expect(dryText).toContain(`Would delete 1 backup, keeping 1:\n  session ${covered}: `);
    expect(dryText).toContain(`Kept 1 past the count, as the last copy of something:\n  session ${lost}: git no longer holds checkpoint`);
    expect(state(repo)).toEqual(before);

    const real = strict(pruneBackupsResult, (await ok(['backup', 'prune', '--sessions', '0', '--json'], o)).stdout);
    expect({ ...real, dry_run: true }).toEqual(dry);
    expect(readdirSync(join(repo.dir, SESSIONS)).sort()).toEqual([`${lost}-backup.manifest.json`, `${lost}-backup.zip`, `${lost}-backup.zip.sha256`]);
    expect(state(repo).files).toEqual(Object.fromEntries(Object.entries(before.files).filter(([f]) => f.startsWith(lost))));
    // The ZIP kept is the only copy left: once git drops the unreferenced objects, restore reads it; the dropped
    // one's checkpoint still comes from git.
    repo.git('gc', '-q', '--prune=now');
    const fromZip = JSON.parse((await ok(['restore', 'list-checkpoints', lost, '--json'], o)).stdout);
    expect(fromZip.checkpoints.map((c: { source: string }) => c.source)).toEqual(['zip']);
    const fromGit = JSON.parse((await ok(['restore', 'list-checkpoints', covered, '--json'], o)).stdout);
    expect(fromGit.checkpoints.map((c: { source: string }) => c.source)).toEqual(['git']);

    // Run again: nothing left to delete, and the held-back ZIP is still reported.
    const again = (await ok(['backup', 'prune', '--sessions', '0'], o)).stdout;
    expect(again).toBe(`Nothing to prune (1 backup kept).\nKept 1 past the count, as the last copy of something:\n  session ${lost}: ${dry.held_back[0].reason}\n`);
  });

  it('a count that keeps both touches nothing and holds nothing back', async () => {
    const { repo, o } = await project();
    const before = state(repo);
    const r = strict(pruneBackupsResult, (await ok(['backup', 'prune', '--sessions', '2', '--json'], o)).stdout);
    expect([r.deleted, r.held_back, r.kept]).toEqual([[], [], 2]);
    expect(state(repo)).toEqual(before);
  });
});
