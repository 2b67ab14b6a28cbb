import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessRepo, pinClock, rejection } from '../support/in-process.js';
import { scratch } from '../support/repo.js';
import { init } from '../../src/api/init.js';
import { start } from '../../src/api/start.js';
import { end } from '../../src/api/end.js';
import { listSessions } from '../../src/api/list-sessions.js';
import { showSession } from '../../src/api/show-session.js';
import { listTemplates } from '../../src/api/list-templates.js';

const NOW = '2025-10-25T14:30:00';
const ID = '2025-10-25-session-001-auth';
const WS = `04-agents/sessions/active/${ID}/`;
const LAYOUT = ['04-agents/sessions/active', '04-agents/sessions/archive', '04-agents/backups/sessions', '04-agents/backups/daily', '04-agents/backups/milestones', '04-agents/session-summaries'];
// The empty root commit start writes in a repository with no commits: fixed tree, message, identity and date.
const EMPTY_BASE = '7b9aa431f1382404812bf6d6e5894cafc4c0dd24';

describe('api init', () => {
  it('creates the layout and ignores backups once', async () => {
    const repo = inProcessRepo(NOW);
    expect(await init({ cwd: repo.dir })).toEqual({
      root: repo.dir,
      created_dirs: LAYOUT,
      gitignore_updated: true,
    });
    expect(await init({ cwd: join(repo.dir, 'src') })).toEqual({ root: repo.dir, created_dirs: [], gitignore_updated: false });
  });

  it('says NOT_A_REPO outside a repository', async () => {
    inProcessRepo(NOW);
    expect((await rejection(() => init({ cwd: scratch() }))).code).toBe('NOT_A_REPO');
  });
});

describe('api start', () => {
  it('starts on an empty root commit in a repository with no commits, with an exact commit id', async () => {
    const repo = inProcessRepo(NOW, { commit: false });
    const r = await start({ cwd: repo.dir, focus: 'auth' });
    expect(r).toEqual({
      session_id: ID, focus: 'auth', agent: 'claude', date: '2025-10-25', start_time: '14:30:00', workspace: WS,
      paths: { artifacts: `${WS}artifacts/`, notes: `${WS}notes/`, decisions: `${WS}decisions/`, snapshots: `${WS}snapshots/`, session_file: `${WS}session.yaml` },
      git_ref: `refs/sessions/${ID}`, base_commit: EMPTY_BASE, empty_base: true,
      initialized: LAYOUT, existing: false,
    });
    expect(repo.git('rev-parse', `refs/sessions/${ID}`)).toBe(EMPTY_BASE);
    expect(repo.git('log', '-1', '--format=%B', EMPTY_BASE)).toBe(`specmap: base of session ${ID}\n\nThe repository had no commits when the session started.\n\nSession-Id: ${ID}`);
  });

  it('starts at HEAD and numbers the day\'s sessions', async () => {
    const repo = inProcessRepo(NOW);
    const head = repo.git('rev-parse', 'HEAD');
    expect(await start({ cwd: repo.dir, focus: 'auth' })).toMatchObject({ session_id: ID, base_commit: head, empty_base: false });
    expect((await start({ cwd: repo.dir, focus: 'Tests, too!', agent: 'codex', metadata: { ticket: 'T-1' } })).session_id).toBe('2025-10-25-session-002-tests-too');
    expect(readFileSync(join(repo.dir, '04-agents/sessions/active/2025-10-25-session-002-tests-too/session.yaml'), 'utf8')).toContain('metadata:\n  ticket: "T-1"\n');
  });

  it('checks its input before it looks for a project', async () => {
    inProcessRepo(NOW);
    const outside = scratch();
    expect((await rejection(() => start({ cwd: outside, focus: '   ' }))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => start({ cwd: outside, focus: 'ok', agent: 'bad/agent' }))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => start({ cwd: outside, focus: 'ok' }))).code).toBe('NOT_A_REPO');
  });

  it('fills a built-in template into the workspace, and refuses an unknown one', async () => {
    const repo = inProcessRepo(NOW);
    const r = await start({ cwd: repo.dir, focus: 'auth', template: 'plan' });
    expect(readFileSync(join(repo.dir, r.workspace, 'notes/plan.md'), 'utf8')).toMatch(/^# Plan: auth\n\nSession 2025-10-25-session-001-auth, 2025-10-25\n/);
    expect((await rejection(() => start({ cwd: repo.dir, focus: 'x', template: 'nope' }))).code).toBe('INVALID_INPUT');
  });
});

describe('api listSessions / showSession', () => {
  it('lists active sessions, then archived ones with all, as the contract says', async () => {
    const repo = inProcessRepo(NOW);
    await start({ cwd: repo.dir, focus: 'auth' });
    pinClock('2025-10-25T15:00:00');
    await start({ cwd: repo.dir, focus: 'tests' });
    pinClock('2025-10-25T16:00:00');
    await end({ cwd: repo.dir, session: '2025-10-25-session-001', score: 7, backup: false });

    const user = 'Test User <test@example.com>';
    const active = {
      session_id: '2025-10-25-session-002-tests', state: 'active', user, status: 'active', focus: 'tests', agent: 'claude', date: '2025-10-25',
      start_time: '15:00:00', end_time: null, checkpoints: 0, files_created: 0, files_modified: 0, rulemap_score: null,
      workspace: '04-agents/sessions/active/2025-10-25-session-002-tests/',
    };
    expect(await listSessions({ cwd: repo.dir })).toEqual({ sessions: [active], problems: [] });
    expect(await listSessions({ cwd: repo.dir, all: true })).toEqual({
      sessions: [active, {
        session_id: ID, state: 'archive', user, status: 'completed', focus: 'auth', agent: 'claude', date: '2025-10-25',
        start_time: '14:30:00', end_time: '16:00:00', checkpoints: 0, files_created: 0, files_modified: 0, rulemap_score: 7,
        workspace: `04-agents/sessions/archive/${ID}/`,
      }],
      problems: [],
    });
    expect((await listSessions({ cwd: repo.dir, all: true, user: 'nobody' })).sessions).toEqual([]);
  });

  it('shows a session by unique prefix, with its facts as contract fields and the whole document', async () => {
    const repo = inProcessRepo(NOW);
    const head = repo.git('rev-parse', 'HEAD');
    await start({ cwd: repo.dir, focus: 'auth', metadata: { ticket: 'T-1' } });
    const r = await showSession({ cwd: repo.dir, session: '2025-10-25-session-001' });
    expect(r).toEqual({
      session_id: ID, state: 'active', status: 'active', focus: 'auth', agent: 'claude', user: 'Test User <test@example.com>',
      date: '2025-10-25', start_time: '14:30:00', end_time: null, workspace: WS, git_ref: `refs/sessions/${ID}`, ref_target: head,
      metadata: { ticket: 'T-1' }, artifacts: { created: [], modified: [] }, checkpoints: [], metrics: { duration_minutes: 0, files_created: 0, files_modified: 0, checkpoints: 0 }, rulemap_score: null,
      document: expect.objectContaining({ session: expect.objectContaining({ id: ID, status: 'active' }), git: { ref: `refs/sessions/${ID}`, base_commit: head } }),
    });
  });

  it('resolves @ and prefixes with the shared resolver: not found, ambiguous', async () => {
    const repo = inProcessRepo(NOW);
    expect(await rejection(() => showSession({ cwd: repo.dir, session: '@' }))).toMatchObject({ code: 'SESSION_NOT_FOUND', details: { kind: 'no-active' } });
    await start({ cwd: repo.dir, focus: 'auth' });
    await start({ cwd: repo.dir, focus: 'tests' });
    expect(await rejection(() => showSession({ cwd: repo.dir, session: '@' }))).toMatchObject({ code: 'SESSION_AMBIGUOUS' });
    expect(await rejection(() => showSession({ cwd: repo.dir, session: '2025-10-25-session-00' }))).toMatchObject({
      code: 'SESSION_AMBIGUOUS', details: { kind: 'ambiguous', matches: [ID, '2025-10-25-session-002-tests'] },
    });
    expect(await rejection(() => showSession({ cwd: repo.dir, session: '2024-01-01' }))).toMatchObject({ code: 'SESSION_NOT_FOUND', details: { kind: 'not-found' } });
    expect((await rejection(() => showSession({ cwd: repo.dir, session: '../etc' }))).code).toBe('INVALID_INPUT');
  });
});

describe('api end', () => {
  it('archives the session with its metrics and writes the ZIP, in one call', async () => {
    const repo = inProcessRepo(NOW);
    await start({ cwd: repo.dir, focus: 'auth' });
    pinClock('2025-10-25T15:12:00');
    const r = await end({ cwd: repo.dir, session: '@', score: '8.5' });
    expect(r).toEqual({
      session_id: ID, duration_minutes: 42, files_created: 0, files_modified: 0, checkpoints: 0, rulemap_score: 8.5,
      archive: `04-agents/sessions/archive/${ID}/`,
      backup: { path: `04-agents/backups/sessions/${ID}-backup.zip`, entries: expect.any(Number), bytes: expect.any(Number) },
      summary_file: '04-agents/session-summaries/2025-10-25.md', tracking_file: 'TRACKING.md', warnings: [],
    });
    expect(existsSync(join(repo.dir, r.backup!.path))).toBe(true);
    expect(existsSync(join(repo.dir, WS))).toBe(false);
    expect(await rejection(() => end({ cwd: repo.dir, session: ID }))).toMatchObject({ code: 'CONFLICT', details: { kind: 'archived' } });
  });

  it('refuses a bad score before it opens anything', async () => {
    inProcessRepo(NOW);
    expect((await rejection(() => end({ cwd: scratch(), session: '@', score: 11 }))).code).toBe('INVALID_INPUT');
  });

  it('queues the ZIP with deferred, and a reader (listSessions) settles it', async () => {
    const repo = inProcessRepo(NOW);
    await start({ cwd: repo.dir, focus: 'auth' });
    const r = await end({ cwd: repo.dir, session: '@', backup: 'deferred' });
    expect(r.backup).toEqual({ path: `04-agents/backups/sessions/${ID}-backup.zip`, entries: 0, bytes: 0, pending: true });
    expect(existsSync(join(repo.dir, r.backup!.path))).toBe(false);
    await listSessions({ cwd: repo.dir });
    expect(existsSync(join(repo.dir, r.backup!.path))).toBe(true);
  });
});

describe('api listTemplates', () => {
  it('lists the built-in templates, a project template replacing its namesake', async () => {
    const repo = inProcessRepo(NOW);
    repo.write('04-agents/templates/plan/notes/plan.md', 'ours\n');
    repo.write('04-agents/templates/review/notes/review.md', 'ours\n');
    expect(await listTemplates({ cwd: repo.dir })).toEqual({
      templates: [
        { name: 'specify', source: 'built-in', description: 'write or refine a specification', files: ['notes/spec-outline.md', 'decisions/README.md'] },
        { name: 'plan', source: 'project', description: '04-agents/templates/plan/', files: ['notes/plan.md'] },
        { name: 'implement', source: 'built-in', description: 'build against a plan, checkpointing as you go', files: ['notes/implementation-log.md', 'notes/todo.md'] },
        { name: 'qa', source: 'built-in', description: 'test and review what was built', files: ['notes/test-plan.md', 'notes/findings.md'] },
        { name: 'review', source: 'project', description: '04-agents/templates/review/', files: ['notes/review.md'] },
      ],
    });
  });
});
