import { readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRepo, scratch, type TestRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-25T14:30:00';

async function started(focus = 'tracking'): Promise<{ repo: TestRepo; id: string; yaml: () => any }> {
  const repo = makeRepo();
  const r = await ok(['start', focus, '--json'], { cwd: repo.dir, env: repo.env, now: NOW });
  const j = JSON.parse(r.stdout);
  // The files the tests track: track takes only files that are there.
  for (const f of ['src/auth.py', 'docs/API.md', 'src/new dir/ünïcode file.txt', 'a.txt', 'inside/ok.txt', ...Array.from({ length: 8 }, (_, i) => `src/f${i}.ts`)]) repo.write(f, `${f}\n`);
  return { repo, id: j.session_id, yaml: () => parse(readFileSync(join(repo.dir, j.workspace, 'session.yaml'), 'utf8')) };
}

describe('specmap track', () => {
  it('records created and modified files once each, created winning', async () => {
    const { repo, id, yaml } = await started();
    const o = { cwd: repo.dir, env: repo.env };
    const first = await ok(['track', id, 'src/auth.py', 'created'], o);
    expect(first.stdout.trim()).toBe('✅ Tracked: src/auth.py (created)');
    await ok(['track', id, 'src/main.js', 'modified'], o);
    const again = await ok(['track', id, 'src/auth.py', 'created'], o);
    expect(again.stdout.trim()).toBe('✓ Already tracked: src/auth.py (created)');
    const later = await ok(['track', id, 'src/auth.py', 'modified'], o);
    expect(later.stdout.trim()).toBe('✅ Tracked: src/auth.py (modified; stays listed as created)');
    await ok(['track', id, 'src/main.js', 'modified'], o);
    expect(yaml().artifacts).toEqual({ created: ['src/auth.py'], modified: ['src/main.js'] });
    // A file first seen as modified and then created moves to created: never listed twice.
    await ok(['track', id, 'src/main.js', 'created'], o);
    expect(yaml().artifacts).toEqual({ created: ['src/auth.py', 'src/main.js'], modified: [] });
  });

  it('keeps the metrics in session.yaml current after every track and checkpoint, not only at end', async () => {
    const { repo, id, yaml } = await started();
    const o = { cwd: repo.dir, env: repo.env };
    expect(yaml().metrics).toEqual({ duration_minutes: 0, files_created: 0, files_modified: 0, checkpoints: 0 });
    await ok(['track', id, 'src/auth.py', 'created'], { ...o, now: '2025-10-25T14:35:00' });
    expect(yaml().metrics).toEqual({ duration_minutes: 5, files_created: 1, files_modified: 0, checkpoints: 0 });
    await ok(['track', id, 'src/main.js', 'modified'], { ...o, now: '2025-10-25T14:40:00' });
    expect(yaml().metrics).toEqual({ duration_minutes: 10, files_created: 1, files_modified: 1, checkpoints: 0 });
    repo.write('src/auth.py', 'def login(): pass\n');
    await ok(['checkpoint', id, 'auth'], { ...o, now: '2025-10-25T15:00:00' });
    expect(yaml().metrics).toEqual({ duration_minutes: 30, files_created: 1, files_modified: 1, checkpoints: 1 });
    repo.write('src/main.js', 'changed\n');
    await ok(['checkpoint', id, 'main'], { ...o, now: '2025-10-25T15:10:00' });
    await ok(['track', id, 'docs/API.md', 'created'], { ...o, now: '2025-10-25T15:12:00' });
    expect(yaml().metrics).toEqual({ duration_minutes: 42, files_created: 2, files_modified: 1, checkpoints: 2 });
    const shown = JSON.parse((await ok(['show', id, '--json'], o)).stdout);
    expect(shown.metrics).toEqual(yaml().metrics);
  });

  it('stores repository-relative POSIX paths from a subdirectory, an absolute path, ./ and ..', async () => {
    const { repo, yaml } = await started();
    const sub = { cwd: join(repo.dir, 'src'), env: repo.env };
    await ok(['track', '@', 'main.js', 'modified'], sub);
    await ok(['track', '@', join(repo.dir, 'docs', 'API.md'), 'created'], sub);
    await ok(['track', '@', '../README.md', 'modified'], sub);
    await ok(['track', '@', './new dir/ünïcode file.txt', 'created'], sub);
    expect(yaml().artifacts).toEqual({
      created: ['docs/API.md', 'src/new dir/ünïcode file.txt'],
      modified: ['src/main.js', 'README.md'],
    });
  });

  it('loses no artifact when 8 tracks run at once', async () => {
    const { repo, id, yaml } = await started();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => ok(['track', id, `src/f${i}.ts`, 'created'], { cwd: repo.dir, env: repo.env })),
    );
    expect([...yaml().artifacts.created].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `src/f${i}.ts`));
  });

  it('refuses paths outside the project, through symlinks, and inside .git, changing nothing', async () => {
    const { repo, id, yaml } = await started();
    const outside = scratch();
    symlinkSync(outside, join(repo.dir, 'link-out'));
    mkdirSync(join(repo.dir, 'inside'), { recursive: true });
    symlinkSync(join(repo.dir, 'inside'), join(repo.dir, 'link-in'));
    const before = yaml();
    const cases: [string, RegExp][] = [
      ['../outside.txt', /outside the project/],
      [join(outside, 'x.txt'), /outside the project/],
      ['link-out/secret.txt', /through a symlink/],
      ['.git/config', /inside \.git/],
      ['.', /project root/],
    ];
    for (const [file, msg] of cases) {
      const r = await runCli(['track', id, file, 'created'], { cwd: repo.dir, env: repo.env });
      expect(r.code, file).toBe(5);
      expect(oneLineError(r)).toMatch(msg);
    }
    expect(yaml()).toEqual(before);
    await ok(['track', id, 'link-in/ok.txt', 'created'], { cwd: repo.dir, env: repo.env });
    expect(yaml().artifacts.created).toEqual(['inside/ok.txt']);
  });

  it('refuses a file that is not there, a folder, and specmap\'s own records, with one line each', async () => {
    const { repo, id, yaml } = await started();
    const before = yaml();
    for (const [file, msg] of [
      ['nope.txt', /nope\.txt: no such file; track a file the session created or changed/],
      ['src', /src is a folder; track the files in it/],
      ['04-agents/config.yaml', /04-agents\/config\.yaml is one of specmap's own records/],
      ['TRACKING.md', /TRACKING\.md is one of specmap's own records/],
    ] as const) {
      const r = await runCli(['track', id, file, 'modified'], { cwd: repo.dir, env: repo.env });
      expect(r.code, file).toBe(5);
      expect(oneLineError(r)).toMatch(msg);
    }
    expect(yaml()).toEqual(before);
  });

  it('refuses a bad action, unknown and ambiguous sessions, and completed sessions', async () => {
    const { repo, id } = await started();
    const o = { cwd: repo.dir, env: repo.env, now: NOW };
    const bad = await runCli(['track', id, 'a.txt', 'deleted'], o);
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toMatch(/Allowed choices are created, modified/);

    const unknown = await runCli(['track', '2024-01-01-session-001', 'a.txt', 'created'], o);
    expect(unknown.code).toBe(4);
    expect(oneLineError(unknown)).toMatch(/no session matches '2024-01-01-session-001'/);

    await ok(['start', 'second'], o);
    const ambiguous = await runCli(['track', '2025-10-25-session-00', 'a.txt', 'created'], o);
    expect(ambiguous.code).toBe(4);
    expect(oneLineError(ambiguous)).toMatch(/ambiguous; it matches 2: 2025-10-25-session-001-tracking, 2025-10-25-session-002-second/);
    const at = await runCli(['track', '@', 'a.txt', 'created'], o);
    expect(at.code).toBe(4);
    expect(oneLineError(at)).toMatch(/'@' is ambiguous: 2 sessions are active/);

    const hostile = await runCli(['track', '../../etc', 'a.txt', 'created'], o);
    expect(hostile.code).toBe(5);
    expect(oneLineError(hostile)).toMatch(/invalid session id/);

    await ok(['end', id, '--no-backup'], o);
    const done = await runCli(['track', id, 'a.txt', 'created'], o);
    expect(done.code).toBe(7);
    expect(oneLineError(done)).toMatch(/already completed/);
  });
});
