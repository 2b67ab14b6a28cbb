import { describe, expect, it } from 'vitest';
import { makeRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const ID = '2025-10-25-session-001-authentication';

/** A session with three checkpoints: add, modify + add, delete. */
async function history() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'authentication'], { ...o, now: '2025-10-25T14:30:00' });
  repo.write('src/auth.js', 'export const auth = 1;\n');
  const c1 = JSON.parse((await ok(['checkpoint', '@', 'Auth skeleton', '--json'], { ...o, now: '2025-10-25T15:00:00' })).stdout);
  repo.write('src/auth.js', 'export const auth = 2;\n');
  repo.write('test/auth.test.js', 'test\n');
  const c2 = JSON.parse((await ok(['checkpoint', '@', 'Auth implemented\n\nWith tests.', '--json'], { ...o, now: '2025-10-25T16:30:00' })).stdout);
  repo.git('rm', '-q', '--cached', 'src/main.js');
  const { rmSync } = await import('node:fs');
  rmSync(`${repo.dir}/src/main.js`);
  const c3 = JSON.parse((await ok(['checkpoint', '@', 'Drop main', '--json'], { ...o, now: '2025-10-25T17:00:00' })).stdout);
  return { repo, o, c1, c2, c3 };
}

describe('specmap log', () => {
  it('lists checkpoints newest first, in every format, agreeing with git', async () => {
    const { repo, o, c1, c2, c3 } = await history();
    const oneline = await ok(['log', '--oneline'], o);
    expect(oneline.stdout.trim().split('\n')).toEqual([
      `${c3.commit.slice(0, 7)} ${c3.checkpoint_id} Drop main`,
      `${c2.commit.slice(0, 7)} ${c2.checkpoint_id} Auth implemented`,
      `${c1.commit.slice(0, 7)} ${c1.checkpoint_id} Auth skeleton`,
    ]);
    // git walks the same chain in the same order.
    const gitOrder = repo.git('log', '--format=%H', `HEAD..refs/sessions/${ID}`).split('\n');
    expect(gitOrder).toEqual([c3.commit, c2.commit, c1.commit]);

    const full = (await ok(['log', ID], o)).stdout;
    // The local time with its UTC offset, the one git recorded in the commit (+0200 there, +02:00 here).
    const offset = repo.git('log', '-1', '--format=%ai', c2.commit).split(' ')[2]!.replace(/(\d\d)$/, ':$1');
    expect(full).toContain(`checkpoint ${c2.checkpoint_id} (commit ${c2.commit})\nSession: ${ID}\nAgent:   claude\nDate:    2025-10-25 16:30:00 ${offset}\n\n    Auth implemented\n    \n    With tests.\n`);
    expect(full.indexOf(c3.checkpoint_id)).toBeLessThan(full.indexOf(c1.checkpoint_id));

    const one = (await ok(['log', '-n', '1', '--patch'], o)).stdout;
    expect(one).toContain(c3.checkpoint_id);
    expect(one).not.toContain(c2.checkpoint_id);
    expect(one).toContain(repo.git('diff', c2.commit, c3.commit));

    const stat = (await ok(['log', '--stat', '-n', '2'], o)).stdout;
    expect(stat).toContain(repo.git('diff', '--stat', c1.commit, c2.commit));
    expect(stat).toContain(repo.git('diff', '--stat', c2.commit, c3.commit));

    const json = JSON.parse((await ok(['log', '--json'], o)).stdout).checkpoints;
    expect(json.map((e: { commit: string }) => e.commit)).toEqual([c3.commit, c2.commit, c1.commit]);
    expect(json[2]).toMatchObject({ session_id: ID, checkpoint_id: c1.checkpoint_id, description: 'Auth skeleton', in_git: true, source: 'git', tag: `refs/tags/checkpoints/${ID}/${c1.checkpoint_id}` });
    expect(oneline.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  it('--all merges every session by time and names the session', async () => {
    const { o, c3 } = await history();
    await ok(['start', 'second'], { ...o, now: '2025-10-25T18:00:00' });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${o.cwd}/later.txt`, 'later\n');
    const later = JSON.parse((await ok(['checkpoint', '2025-10-25-session-002', 'Later', '--json'], { ...o, now: '2025-10-25T18:30:00' })).stdout);
    const lines = (await ok(['log', '--all', '--oneline'], o)).stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`${later.commit.slice(0, 7)} 2025-10-25-session-002-second:${later.checkpoint_id} Later`);
    expect(lines[1]).toBe(`${c3.commit.slice(0, 7)} ${ID}:${c3.checkpoint_id} Drop main`);
    const r = await runCli(['log', '@'], o);
    expect(r.code).toBe(4); // two sessions are active now: '@' is ambiguous
    expect(oneLineError(r)).toMatch(/ambiguous/);
  });

  it('says so when there are no checkpoints, and rejects a bad -n', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['start', 'empty'], o);
    expect((await ok(['log'], o)).stdout.trim()).toBe('No checkpoints yet.');
    const r = await runCli(['log', '-n', 'lots'], o);
    expect(r.code).toBe(5);
    expect(oneLineError(r)).toMatch(/-n\/--max-count wants a whole number/);
  });

  it('orders checkpoints of one second by number (1000 after 999), whatever -n is', async () => {
    const { repo, o, c1 } = await history();
    const file = `${repo.dir}/04-agents/sessions/active/${ID}/session.yaml`;
    const { readFileSync, writeFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    // 1,000 more checkpoints recorded at one second, pointing at the first commit, as a long agent session can.
    const extra = Array.from({ length: 1000 }, (_, i) => {
      const n = String(i + 4).padStart(3, '0');
      return `  - id: "checkpoint-${n}-18-00-00"\n    time: "18:00:00"\n    description: "step ${i + 4}"\n    files_snapshot: []\n    commit: "${c1.commit}"\n`;
    }).join('');
    writeFileSync(file, text.replace(/\nmetrics:/, `\n${extra}metrics:`));
    const top = JSON.parse((await ok(['log', '-n', '3', '--json'], o)).stdout).checkpoints;
    expect(top.map((c: { number: number }) => c.number)).toEqual([1003, 1002, 1001]);
    expect(top.every((c: { source: string }) => c.source === 'git')).toBe(true);
    const all = JSON.parse((await ok(['log', '--json'], o)).stdout).checkpoints.map((c: { number: number }) => c.number);
    expect(all).toEqual(Array.from({ length: 1003 }, (_, i) => 1003 - i));
  });
});

describe('specmap show <session>:<checkpoint> and specmap diff', () => {
  it('shows one checkpoint with its patch, by id, prefix or ~N', async () => {
    const { repo, o, c1, c2 } = await history();
    const byId = (await ok(['show', `${ID}:${c2.checkpoint_id}`], o)).stdout;
    expect(byId).toContain(`checkpoint ${c2.checkpoint_id} (commit ${c2.commit})`);
    expect(byId).toContain(repo.git('diff', '--stat', c1.commit, c2.commit));
    expect(byId).toContain(repo.git('diff', c1.commit, c2.commit));
    expect((await ok(['show', '2025-10-25-session-001:checkpoint-002'], o)).stdout).toBe(byId);
    expect((await ok(['show', '@:~1'], o)).stdout).toBe(byId);
    expect((await ok(['show', `@:${c1.checkpoint_id}`, '--json'], o)).stdout).toContain('"patch"');
  });

  it.each([
    ['@:~3', 4, /has 3 checkpoint\(s\); ~3 goes back too far/],
    ['@:checkpoint-009', 4, /no checkpoint matches 'checkpoint-009' in /],
    ['@:checkpoint-00', 4, /ambiguous/],
    ['@:../../x', 5, /invalid checkpoint reference/],
    ['@:', 5, /names no checkpoint/],
  ])('refuses %s clearly', async (spec, code, message) => {
    const { o } = await history();
    const r = await runCli(['show', spec], o);
    expect(r.code).toBe(code);
    expect(oneLineError(r)).toMatch(message);
  });

  it('diffs two checkpoints exactly as git does, and a checkpoint against the working tree', async () => {
    const { repo, o, c1, c3 } = await history();
    expect((await ok(['diff', `@:${c1.checkpoint_id}`, '~0'], o)).stdout).toBe(`${repo.git('diff', c1.commit, c3.commit)}\n`);
    expect((await ok(['diff', `@:${c1.checkpoint_id}`, `${ID}:~0`, '--stat'], o)).stdout).toBe(`${repo.git('diff', '--stat', c1.commit, c3.commit)}\n`);

    repo.write('src/auth.js', 'export const auth = 3;\n');
    repo.write('brand-new.txt', 'untracked but part of the next checkpoint\n');
    const wt = (await ok(['diff', '@:~0'], o)).stdout;
    expect(wt).toContain('-export const auth = 2;\n+export const auth = 3;');
    expect(wt).toContain('+++ b/brand-new.txt');
    expect(repo.git('status', '--porcelain', 'brand-new.txt')).toBe('?? brand-new.txt'); // still untracked
    const nothing = await ok(['diff', '@:~0', '@:~0'], o);
    expect(nothing.stdout).toBe('');
  });
});
