import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo } from '../support/repo.js';
import { ok, oneLineError, runCli } from '../support/cli.js';

const NOW = '2025-10-25T14:30:00';

/** A "billion laughs" document: ten levels of ten aliases each, 10^10 strings once expanded. */
export function aliasBomb(): string {
  const lines = ['session:', '  id: "bomb"', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

async function twoActiveSessions() {
  const repo = makeRepo();
  const o = { cwd: repo.dir, env: repo.env };
  await ok(['start', 'first'], { ...o, now: NOW });
  await ok(['start', 'second'], { ...o, now: '2025-10-25T15:00:00' });
  const bad = '04-agents/sessions/active/2025-10-25-session-001-first/session.yaml';
  return { repo, o, bad, good: '2025-10-25-session-002-second' };
}

describe('hostile session.yaml files', () => {
  it('an alias bomb is one corrupt file: list shows the others and names it, doctor reports it', async () => {
    const { repo, o, bad, good } = await twoActiveSessions();
    writeFileSync(join(repo.dir, bad), aliasBomb());

    const r = await runCli(['list'], o);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(good);
    expect(r.stderr).toContain(`warning: ${bad}: invalid YAML: more than 100 alias expansions`);
    expect(r.stderr).not.toMatch(/internal error/);

    const j = await runCli(['list', '--json'], o);
    expect(j.code).toBe(6);
    const out = JSON.parse(j.stdout);
    expect(out.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([good]);
    expect(out.problems).toEqual([expect.stringContaining(`${bad}: invalid YAML: more than 100 alias expansions`)]);

    const d = await runCli(['doctor', '--json'], o);
    expect(d.stderr).not.toMatch(/internal error/);
    expect(d.code).toBe(6);
    expect(d.stdout).toContain('unreadable-session');
    expect(d.stdout).toContain('alias expansions');
  });

  it('a session.yaml past 8 MiB is refused before it is parsed, naming the file; list goes on', async () => {
    const { repo, o, bad, good } = await twoActiveSessions();
    // Valid YAML: before the limit this parsed (slowly) and listed as a session.
    const path = join(repo.dir, bad);
    const head = '\nsession:\n  id: "2025-10-25-session-001-first"\n  date: "2025-10-25"\n  start_time: "14:30:00"\n  focus: "first"\n  agent: "claude"\n  status: "active"\n';
    writeFileSync(path, `${'# padding padding padding padding padding padding padding padding padding pad\n'.repeat(9 * 1024 * 1024 / 80 + 1000)}${head}`);
    const started = Date.now();
    const r = await runCli(['list'], o);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(good);
    expect(r.stdout).not.toContain('session-001');
    expect(r.stderr).toMatch(new RegExp(`warning: ${bad.replace(/[.]/g, '\\.')}: too large to read \\(\\d+\\.\\d MiB; the limit is 8\\.0 MiB\\)`));
  });
});

describe('hostile SPECMAP_* settings', () => {
  it.each([
    ['SPECMAP_NOW', 'tomorrow-ish'],
    ['SPECMAP_LOCK_TIMEOUT_MS', 'forever'],
    ['SPECMAP_LOCK_TIMEOUT_MS', '-1'],
    ['SPECMAP_HOOK_LOCK_WAIT_MS', '1e9'],
    ['SPECMAP_ZIP_IN_MEMORY_MAX', '16MiB'],
  ])('%s=%j is one line naming the variable, exit 2, nothing written', async (name, value) => {
    const repo = makeRepo();
    const before = repo.git('status', '--porcelain', '--ignored');
    const r = await runCli(['start', 'anything'], { cwd: repo.dir, env: { ...repo.env, [name]: value } });
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toBe(`specmap: ${name} must be ${name === 'SPECMAP_NOW' ? 'an ISO date-time such as 2025-10-25T14:30:00' : `a whole number of ${name.endsWith('_MAX') ? 'bytes' : 'milliseconds'} (0 or more)`}, not ${JSON.stringify(value)}`);
    expect(repo.git('status', '--porcelain', '--ignored')).toBe(before);
    expect(repo.git('for-each-ref')).not.toContain('refs/sessions/');
  });
});

describe('list --remote with a name that is no remote', () => {
  it.each(['../x', 'nowhere', '-rf'])('list --remote %j is refused with one line and a non-zero exit', async (name) => {
    const repo = makeRepo();
    repo.git('remote', 'add', 'origin', join(repo.dir, 'nowhere.git'));
    const r = await runCli(['list', `--remote=${name}`], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(5);
    expect(oneLineError(r)).toMatch(name === 'nowhere' ? /^specmap: no remote named nowhere/ : /^specmap: invalid remote name/);
  });

  it('a configured remote with nothing fetched lists nothing and exits 0', async () => {
    const repo = makeRepo();
    repo.git('remote', 'add', 'origin', join(repo.dir, 'nowhere.git'));
    const r = await ok(['list', '--remote', 'origin', '--json'], { cwd: repo.dir, env: repo.env });
    expect(JSON.parse(r.stdout)).toEqual({ sessions: [], problems: [] });
  });
});
