import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo } from '../support/repo.js';
import { ok } from '../support/cli.js';

const N = 8;

describe('many agents at once', () => {
  it(`${N} parallel starts on the same day get ${N} distinct numbers`, async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env, now: '2025-10-25T09:00:00' };
    const ids = await Promise.all(Array.from({ length: N }, (_, i) => ok(['start', `agent ${i}`, '--json'], o).then((r) => JSON.parse(r.stdout).session_id as string)));
    const numbers = ids.map((id) => id.slice('2025-10-25-session-'.length, '2025-10-25-session-'.length + 3)).sort();
    expect(numbers).toEqual(Array.from({ length: N }, (_, i) => String(i + 1).padStart(3, '0')));
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/sessions').split('\n')).toHaveLength(N);
  });

  it(`${N} parallel checkpoints on one session all land, in one linear history`, async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const id = JSON.parse((await ok(['start', 'busy', '--json'], o)).stdout).session_id as string;
    for (let i = 0; i < N; i++) repo.write(`f${i}.txt`, `${i}\n`);
    await Promise.all(Array.from({ length: N }, (_, i) => ok(['checkpoint', id, `cp ${i}`, `f${i}.txt`], o)));
    const doc = parse(readFileSync(join(repo.dir, '04-agents/sessions/active', id, 'session.yaml'), 'utf8'));
    expect(doc.checkpoints).toHaveLength(N);
    expect(new Set(doc.checkpoints.map((c: { description: string }) => c.description)).size).toBe(N);
    // Linear: every commit has exactly one parent, and the chain from the tip walks through all of them.
    expect(repo.git('rev-list', '--count', '--merges', `refs/sessions/${id}`)).toBe('0');
    expect(repo.git('rev-list', '--count', `HEAD..refs/sessions/${id}`)).toBe(String(N));
    expect(repo.git('rev-list', '--reverse', `HEAD..refs/sessions/${id}`).split('\n')).toEqual(doc.checkpoints.map((c: { commit: string }) => c.commit));
  });

  it('parallel tracks lose no artifact', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    const id = JSON.parse((await ok(['start', 'tracking', '--json'], o)).stdout).session_id as string;
    const files = Array.from({ length: 12 }, (_, i) => `src/m${i}.js`);
    for (const f of files) repo.write(f, 'x\n');
    await Promise.all(files.map((f, i) => ok(['track', id, f, i % 2 ? 'modified' : 'created'], o)));
    const doc = parse(readFileSync(join(repo.dir, '04-agents/sessions/active', id, 'session.yaml'), 'utf8'));
    expect([...doc.artifacts.created, ...doc.artifacts.modified].sort()).toEqual([...files].sort());
  });

  it('a commit (with its hook) during a checkpoint loses nothing', async () => {
    const repo = makeRepo();
    const o = { cwd: repo.dir, env: repo.env };
    await ok(['hooks', 'install'], o);
    const id = JSON.parse((await ok(['start', 'racing', '--json'], o)).stdout).session_id as string;
    for (let i = 0; i < 200; i++) repo.write(`bulk/b${i}.txt`, `${i}\n`);
    repo.write('committed.txt', 'c\n');
    repo.git('add', 'committed.txt');
    const commit = new Promise<number | null>((resolve) => {
      const c = spawn('git', ['commit', '-q', '-m', 'during checkpoint'], { cwd: repo.dir, env: repo.env });
      c.on('close', resolve);
    });
    const [cp, code] = await Promise.all([ok(['checkpoint', id, 'racing', '--json'], o), commit]);
    expect(code).toBe(0);
    const doc = JSON.parse((await ok(['show', id, '--json'], o)).stdout).document;
    expect(doc.commits).toEqual([repo.git('rev-parse', 'HEAD')]);
    expect(doc.artifacts.created).toContain('committed.txt');
    expect(doc.checkpoints.map((c: { id: string }) => c.id)).toEqual([JSON.parse(cp.stdout).checkpoint_id]);
    expect(repo.git('ls-tree', '-r', '--name-only', `refs/sessions/${id}`)).toContain('bulk/b199.txt');
  });
});
