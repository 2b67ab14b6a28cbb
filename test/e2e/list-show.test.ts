import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-25T14:30:00';

async function twoSessions() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'api design', 'claude'], { ...o, now: NOW });
  await ok(['start', 'testing', 'codex', '--meta', 'ticket=QA-7'], { ...o, now: '2025-10-25T15:00:00' });
  repo.write('tests/a.test.js', 'test\n');
  await ok(['track', '2025-10-25-session-002', 'tests/a.test.js', 'created'], o);
  await ok(['end', '2025-10-25-session-001', '7', '--no-backup'], { ...o, now: '2025-10-25T16:00:00' });
  return { repo, o };
}

describe('specmap list', () => {
  it('lists active sessions, and archived ones with --all', async () => {
    const { o } = await twoSessions();
    const active = await ok(['list'], o);
    const lines = active.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SESSION\s+STATUS\s+STARTED\s+CHECKPOINTS\s+CREATED\s+MODIFIED\s+RULEMAP$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^2025-10-25-session-002-testing\s+active\s+2025-10-25 15:00:00\s+0\s+1\s+0\s+-$/);

    const all = await ok(['list', '--all', '--json'], o);
    const j = JSON.parse(all.stdout);
    expect(j.sessions.map((s: any) => [s.session_id, s.state, s.status, s.rulemap_score])).toEqual([
      ['2025-10-25-session-002-testing', 'active', 'active', null],
      ['2025-10-25-session-001-api-design', 'archive', 'completed', 7],
    ]);
    expect(j.problems).toEqual([]);
  });

  it('says how to begin when there are no sessions', async () => {
    const repo = makeRepo();
    const r = await ok(['list'], { cwd: repo.dir, env: repo.env });
    expect(r.stdout.trim()).toBe('No active sessions. Start one with: specmap start "<focus>"');
  });

  it('lists the readable sessions and names the broken file, exiting non-zero', async () => {
    const { repo, o } = await twoSessions();
    writeFileSync(join(repo.dir, '04-agents/sessions/archive/2025-10-25-session-001-api-design/session.yaml'), 'session: [oops\n');
    const r = await runCli(['list', '--all'], o);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('2025-10-25-session-002-testing');
    expect(r.stderr).toMatch(/warning: 04-agents\/sessions\/archive\/2025-10-25-session-001-api-design\/session\.yaml:\d+: invalid YAML/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('specmap show', () => {
  it('shows metadata, artifacts, checkpoints and metrics of active and archived sessions', async () => {
    const { repo, o } = await twoSessions();
    const active = await ok(['show', '2025-10-25-session-002'], o);
    expect(active.stdout).toContain('Session 2025-10-25-session-002-testing (active)');
    expect(active.stdout).toContain('Agent:      codex');
    expect(active.stdout).toContain('  ticket: QA-7');
    expect(active.stdout).toContain('Created (1):\n  tests/a.test.js');
    expect(active.stdout).toContain(`Git ref:    refs/sessions/2025-10-25-session-002-testing -> ${repo.git('rev-parse', 'HEAD').slice(0, 12)}`);

    const archived = await ok(['show', '2025-10-25-session-001', '--json'], o);
    const j = JSON.parse(archived.stdout);
    expect(j.state).toBe('archive');
    expect(j.status).toBe('completed');
    expect(j.document.session.status).toBe('completed');
    expect(j.metrics).toEqual({ duration_minutes: 90, files_created: 0, files_modified: 0, checkpoints: 0 });
    expect(j.rulemap_score).toBe(7);
    const human = await ok(['show', '2025-10-25-session-001'], o);
    expect(human.stdout).toContain('Metrics:    90 minutes, 0 created, 0 modified, 0 checkpoints');
    expect(human.stdout).toContain('RULEMAP:    7/10');
  });

  it('refuses a session id whose folder is in both active/ and archive/, by full id and by prefix', async () => {
    const { repo, o } = await twoSessions();
    const id = '2025-10-25-session-002-testing';
    cpSync(join(repo.dir, '04-agents/sessions/active', id), join(repo.dir, '04-agents/sessions/archive', id), { recursive: true });
    for (const ref of [id, '2025-10-25-session-002']) {
      const r = await runCli(['show', ref], o);
      expect(r.code).toBe(7);
      expect(oneLineError(r)).toBe(`specmap: session ${id} is in both active/ and archive/: run 'specmap doctor'`);
    }
    // The other session, archived only, is found by its full id as before.
    expect(JSON.parse((await ok(['show', '2025-10-25-session-001-api-design', '--json'], o)).stdout).state).toBe('archive');
  });

  it('names a broken session.yaml with its line', async () => {
    const { repo, o } = await twoSessions();
    writeFileSync(join(repo.dir, '04-agents/sessions/active/2025-10-25-session-002-testing/session.yaml'), 'session:\n  id: x\n  id: y\n');
    const r = await runCli(['show', '@'], o);
    expect(r.code).toBe(6);
    expect(oneLineError(r)).toMatch(/^specmap: 04-agents\/sessions\/active\/2025-10-25-session-002-testing\/session\.yaml:3: invalid YAML/);
  });
});
