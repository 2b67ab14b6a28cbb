import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { ok, runCli } from '../support/cli.js';

const NOW = '2025-10-25T14:30:00';

/** The main worktree and a linked one (`git worktree add`), each with an active session of its own. */
async function twoWorktrees(): Promise<{ repo: TestRepo; linked: string; ids: string[] }> {
  const repo = makeRepo();
  const linked = join(repo.dir, '..', 'linked');
  repo.git('worktree', 'add', '-q', '-b', 'feature', linked);
  const main = JSON.parse((await ok(['start', 'main work', '--json'], { cwd: repo.dir, env: repo.env, now: NOW })).stdout);
  const other = JSON.parse((await ok(['start', 'linked work', '--json'], { cwd: linked, env: repo.env, now: NOW })).stdout);
  return { repo, linked, ids: [main.session_id, other.session_id] };
}

async function doctorIn(cwd: string, repo: TestRepo, fix = false) {
  const r = await runCli(['doctor', '--json', ...(fix ? ['--fix'] : [])], { cwd, env: repo.env });
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: { check: string; subject: string }[] }).findings };
}

describe('linked worktrees', () => {
  it('number sessions across every worktree, which share the refs but not the folders', async () => {
    const { repo, ids } = await twoWorktrees();
    expect(ids).toEqual(['2025-10-25-session-001-main-work', '2025-10-25-session-002-linked-work']);
    const third = JSON.parse((await ok(['start', 'more', '--json'], { cwd: repo.dir, env: repo.env, now: NOW })).stdout);
    expect(third.session_id).toBe('2025-10-25-session-003-more');
  });

  it("doctor in either worktree sees the other's sessions as live: nothing reported, --fix parks nothing", async () => {
    const { repo, linked, ids } = await twoWorktrees();
    const refs = () => repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions/', 'refs/specmap/orphaned/');
    const before = refs();
    expect(before).toBe(ids.map((id) => `refs/sessions/${id}`).join('\n'));
    for (const cwd of [repo.dir, linked]) {
      expect(await doctorIn(cwd, repo)).toEqual({ code: 0, findings: [] });
      expect(await doctorIn(cwd, repo, true)).toEqual({ code: 0, findings: [] });
      expect(refs()).toBe(before);
    }
  });

  it('a ref becomes an orphan once no worktree has its folder', async () => {
    const { repo, linked, ids } = await twoWorktrees();
    repo.git('worktree', 'remove', '--force', linked);
    const d = await doctorIn(repo.dir, repo);
    expect(d.code).toBe(6);
    expect(d.findings).toEqual([expect.objectContaining({ check: 'orphan-ref', subject: `refs/sessions/${ids[1]}` })]);
  });
});
