import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';
import { showSessionResult } from '../../src/api/contract/show-session.js';

const NOW = '2025-10-25T09:00:00';
const PARENT = '2025-10-25-session-001-login-page';

/** `--json` output is exactly the contract: no key more or less. */
function expectContract(schema: z.ZodObject, stdout: string) {
  const parsed = schema.strict().safeParse(JSON.parse(stdout));
  expect(parsed.success ? '' : parsed.error.message).toBe('');
}

const gitIn = (repo: TestRepo, dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: repo.env, encoding: 'utf8' }).trimEnd();

/**
 * Session 001 in the main worktree (one checkpoint: login v1, left uncommitted), forked into its own worktree, where
 * the fork took a checkpoint of its own (login v2). The main worktree still has v1.
 */
async function forkWithCheckpoint() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'login page'], { ...o, now: NOW });
  repo.write('src/main.js', "console.log('login v1');\n");
  await ok(['checkpoint', '@', 'login skeleton'], { ...o, now: '2025-10-25T09:10:00' });
  const fork = JSON.parse((await ok(['fork', `${PARENT}:~0`, 'login with tokens', '--json'], { ...o, now: '2025-10-25T09:20:00' })).stdout) as { session_id: string; worktree: string };
  const f = { cwd: fork.worktree, env: repo.env };
  execFileSync('sh', ['-c', `printf "console.log('login v2');\\n" > src/main.js`], f);
  await ok(['checkpoint', '@', 'tokens instead'], { ...f, now: '2025-10-25T09:30:00' });
  const forkYaml = join(fork.worktree, `04-agents/sessions/active/${fork.session_id}/session.yaml`);
  return { repo, o, f, id: fork.session_id, worktree: fork.worktree, forkYaml };
}

const activeFolders = (dir: string) => readdirSync(join(dir, '04-agents/sessions/active')).sort();

describe("a fork's session seen from the main worktree", () => {
  it('show, log, diff and list-checkpoints find it in its worktree, and say where it lives', async () => {
    const { repo, o, id, worktree, forkYaml } = await forkWithCheckpoint();
    const before = { status: gitIn(repo, worktree, 'status', '--porcelain'), yaml: readFileSync(forkYaml, 'utf8') };

    const show = await ok(['show', id, '--json'], o);
    expectContract(showSessionResult, show.stdout);
    const s = JSON.parse(show.stdout);
    expect(s.session_id).toBe(id);
    expect(s.worktree).toBe(worktree);
    expect(s.workspace).toBe(`04-agents/sessions/active/${id}/`);
    expect(s.checkpoints.map((c: { description: string }) => c.description)).toEqual(['tokens instead']);
    expect((await ok(['show', id], o)).stdout).toContain(`Worktree:   ${worktree}`);
    // This worktree's own session says nothing about a worktree.
    expect(JSON.parse((await ok(['show', PARENT, '--json'], o)).stdout).worktree).toBeUndefined();
    // A unique prefix works as it does for compare.
    expect(JSON.parse((await ok(['show', '2025-10-25-session-002', '--json'], o)).stdout).session_id).toBe(id);

    const log = JSON.parse((await ok(['log', id, '--json'], o)).stdout);
    expect(log.checkpoints.map((c: { session_id: string; description: string; source: string }) => [c.session_id, c.description, c.source]))
      .toEqual([[id, 'tokens instead', 'git']]);

    const list = JSON.parse((await ok(['restore', 'list-checkpoints', id, '--json'], o)).stdout);
    expect(list.session_id).toBe(id);
    expect(list.checkpoints.map((c: { description: string; in_git: boolean }) => [c.description, c.in_git])).toEqual([['tokens instead', true]]);

    const one = JSON.parse((await ok(['show', `${id}:~0`, '--json'], o)).stdout);
    expect(one.patch).toContain("+console.log('login v2');");

    // Checkpoint against checkpoint, across worktrees.
    const between = JSON.parse((await ok(['diff', `${PARENT}:~0`, `${id}:~0`, '--json'], o)).stdout);
    expect(between.diff).toContain("-console.log('login v1');\n+console.log('login v2');");
    // The fork's checkpoint against this worktree's files: only the project's change, not the fork's workspace
    // (which is in its own worktree, not missing from this one).
    const toHere = JSON.parse((await ok(['diff', `${id}:~0`, '--json'], o)).stdout);
    expect(toHere.to).toBeNull();
    expect(toHere.diff).toContain("-console.log('login v2');\n+console.log('login v1');");
    expect(toHere.diff).not.toContain('04-agents/');

    // Nothing was written in either worktree by looking.
    expect(activeFolders(repo.dir)).toEqual([PARENT]);
    expect({ status: gitIn(repo, worktree, 'status', '--porcelain'), yaml: readFileSync(forkYaml, 'utf8') }).toEqual(before);
  });

  it("restore checkpoint brings a fork's checkpoint into this worktree: a -restored folder, or in place with this worktree's safety checkpoint", async () => {
    const { repo, o, id, worktree, forkYaml } = await forkWithCheckpoint();
    const forkBefore = readFileSync(forkYaml, 'utf8');
    const forkTip = repo.git('rev-parse', `refs/sessions/${id}`);
    const cp = parse(forkBefore).checkpoints[0].id as string;

    // Into a -restored folder of THIS worktree (the objects are shared; nothing is read from the other's disk).
    const folder = JSON.parse((await ok(['restore', 'checkpoint', `${id}:~0`, '--json'], o)).stdout);
    expect(folder.destination).toBe(`04-agents/sessions/active/${id}-${cp}-restored/`);
    expect(readFileSync(join(repo.dir, folder.destination, 'src/main.js'), 'utf8')).toBe("console.log('login v2');\n");
    // A restored copy, not a second copy of the fork's session.
    expect(JSON.parse((await ok(['list', '--json'], o)).stdout).sessions.map((x: { session_id: string }) => x.session_id)).toEqual([PARENT]);

    // A dry run of the in-place restore names this worktree's active session for the safety checkpoint.
    const dry = JSON.parse((await ok(['restore', 'checkpoint', `${id}:~0`, '--in-place', '--dry-run', '--json'], { ...o, now: '2025-10-25T09:40:00' })).stdout);
    expect(dry.written).toEqual(['src/main.js']);
    expect(dry.safety.session_id).toBe(PARENT);
    expect(dry.safety.commit).toBeNull();
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('login v1');\n");

    const real = JSON.parse((await ok(['restore', 'checkpoint', `${id}:~0`, '--in-place', '--json'], { ...o, now: '2025-10-25T09:40:00' })).stdout);
    expect(real.written).toEqual(['src/main.js']);
    expect(real.safety.session_id).toBe(PARENT);
    expect(real.safety.checkpoint_id).toBe(dry.safety.checkpoint_id);
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('login v2');\n");
    // The safety checkpoint is this worktree's session's, and holds what was here (v1): the undo works.
    expect(repo.git('show', `${real.safety.commit}:src/main.js`)).toBe("console.log('login v1');");
    expect(repo.git('rev-parse', `refs/sessions/${PARENT}`)).toBe(real.safety.commit);
    await ok(real.safety.undo.split(' ').slice(1), o);
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('login v1');\n");

    // The fork is exactly as it was: its session.yaml, its ref, its files; and no copy of its folder came here.
    expect(readFileSync(forkYaml, 'utf8')).toBe(forkBefore);
    expect(repo.git('rev-parse', `refs/sessions/${id}`)).toBe(forkTip);
    expect(readFileSync(join(worktree, 'src/main.js'), 'utf8')).toBe("console.log('login v2');\n");
    expect(activeFolders(repo.dir)).toEqual([PARENT, `${id}-${cp}-restored`]);
  });

  it("refuses to restore the fork's workspace in place here, and to take a safety checkpoint with no active session here", async () => {
    const { repo, o, id } = await forkWithCheckpoint();
    const r = await runCli(['restore', 'checkpoint', `${id}:~0`, '--in-place', `04-agents/sessions/active/${id}/summary.md`], o);
    expect(r.code).toBe(7);
    expect(oneLineError(r)).toContain(`it is in the workspace of ${id}, which lives in the worktree`);
    expect(activeFolders(repo.dir)).toEqual([PARENT]);
    const tip = repo.git('rev-parse', `refs/sessions/${PARENT}`);
    expect(tip).toBe(JSON.parse((await ok(['show', PARENT, '--json'], o)).stdout).ref_target);

    await ok(['end', PARENT], { ...o, now: '2025-10-25T10:00:00' });
    const none = await runCli(['restore', 'checkpoint', `${id}:~0`, '--in-place'], o);
    expect(none.code).toBe(7);
    expect(oneLineError(none)).toContain('none is active');
    expect(readFileSync(join(repo.dir, 'src/main.js'), 'utf8')).toBe("console.log('login v1');\n");
  });

  it("restore backup extracts a fork's session ZIP from its worktree into this one; backup verify says where it is", async () => {
    const { repo, o, f, id, worktree } = await forkWithCheckpoint();
    await ok(['end', '@', '8'], { ...f, now: '2025-10-25T09:40:00' });
    const zip = join(worktree, `04-agents/backups/sessions/${id}-backup.zip`);
    expect(existsSync(zip)).toBe(true);
    const r = JSON.parse((await ok(['restore', 'backup', id.slice(0, 22), '--json'], o)).stdout);
    expect(r).toMatchObject({ session_id: id, destination: `04-agents/sessions/active/${id}-restored/` });
    expect(join(repo.dir, r.backup)).toBe(zip);
    const restored = join(repo.dir, r.destination);
    expect(readFileSync(join(restored, 'session.yaml'), 'utf8')).toBe(readFileSync(join(worktree, `04-agents/sessions/archive/${id}/session.yaml`), 'utf8'));
    const v = await runCli(['backup', 'verify', id], o);
    expect(v.code).toBe(7);
    expect(oneLineError(v)).toBe(`specmap: the backup of ${id} is in the worktree ${worktree}: run 'specmap backup verify' there (cd ${worktree})`);
    const none = await runCli(['restore', 'backup', '2025-10-25-session-009'], o);
    expect(none.code).toBe(4);
    expect(oneLineError(none)).toMatch(/no session backup matches '2025-10-25-session-009' in 04-agents\/backups\/sessions\//);
  });

  it("checkpoint, track, end, push and renumber of the fork's session are refused here with one line saying to run them in its worktree", async () => {
    const { repo, o, f, id, worktree, forkYaml } = await forkWithCheckpoint();
    const before = readFileSync(forkYaml, 'utf8');
    const tip = repo.git('rev-parse', `refs/sessions/${id}`);
    for (const [verb, args] of [
      ['checkpoint', ['checkpoint', id, 'from the wrong place']],
      ['track', ['track', id, 'src/main.js', 'modified']],
      ['end', ['end', id]],
    ] as const) {
      const r = await runCli([...args], o);
      expect(r.code).toBe(7);
      expect(oneLineError(r)).toBe(`specmap: session ${id} lives in the worktree ${worktree}: run 'specmap ${verb}' there (cd ${worktree})`);
    }
    // push and renumber of that session too (they read its folder and move its refs), rather than "not found".
    execFileSync('git', ['init', '-q', '--bare', join(repo.dir, '..', 'remote.git')], { env: repo.env });
    repo.git('remote', 'add', 'origin', join(repo.dir, '..', 'remote.git'));
    for (const [verb, args] of [['push', ['push', 'origin', id]], ['renumber', ['renumber', id]]] as const) {
      const r = await runCli([...args], o);
      expect(r.code).toBe(7);
      expect(oneLineError(r)).toBe(`specmap: session ${id} lives in the worktree ${worktree}: run 'specmap ${verb}' there (cd ${worktree})`);
    }
    expect(execFileSync('git', ['for-each-ref'], { cwd: join(repo.dir, '..', 'remote.git'), env: repo.env, encoding: 'utf8' })).toBe('');
    const json = await runCli(['checkpoint', id, 'again', '--json'], o);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(forkYaml, 'utf8')).toBe(before);
    expect(repo.git('rev-parse', `refs/sessions/${id}`)).toBe(tip);
    expect(existsSync(join(repo.dir, `04-agents/sessions/archive/${id}`))).toBe(false);

    // In its own worktree the same commands work, and the fork sees the parent's session read-only as well.
    await ok(['track', id, 'src/main.js', 'modified'], f);
    expect(JSON.parse((await ok(['show', PARENT, '--json'], f)).stdout).worktree).toBe(repo.dir);
    const back = await runCli(['checkpoint', PARENT, 'from the fork'], f);
    expect(oneLineError(back)).toBe(`specmap: session ${PARENT} lives in the worktree ${repo.dir}: run 'specmap checkpoint' there (cd ${repo.dir})`);
  });
});
