import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpoint } from '../../src/api/checkpoint.js';
import { dailyBackup } from '../../src/api/daily-backup.js';
import { diskUsage } from '../../src/api/disk-usage.js';
import { end } from '../../src/api/end.js';
import { gc } from '../../src/api/gc.js';
import { listCheckpoints } from '../../src/api/list-checkpoints.js';
import { start } from '../../src/api/start.js';
import { inProcessRepo, pinClock, rejection } from '../support/in-process.js';
import { mulberry32 } from '../support/prng.js';
import { scratch, type TestRepo } from '../support/repo.js';

const DAY = '2025-10-25';
const NOW = `${DAY}T10:00:00`;

/** Bytes that do not compress: git stores them at about their size, so a byte count that leaves them out shows it. */
function noise(seed: number, n: number): Buffer {
  const next = mulberry32(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
}

/** A session started, checkpointed over `files` and (unless `active`) ended at `at`; its id. */
async function session(repo: TestRepo, focus: string, at: string, files: Record<string, string | Buffer>, opts: { active?: boolean } = {}): Promise<string> {
  pinClock(at);
  const s = await start({ cwd: repo.dir, focus });
  for (const [rel, content] of Object.entries(files)) repo.write(rel, content);
  await checkpoint({ cwd: repo.dir, session: s.session_id, description: `${focus} work` });
  if (!opts.active) await end({ cwd: repo.dir, session: s.session_id });
  return s.session_id;
}

/** Independent sums: each listed object's `%(objectsize:disk)` from cat-file, the files' sizes from find. */
function catFileDiskSum(repo: TestRepo, revListArgs: string[]): number {
  const objects = execFileSync('git', ['rev-list', ...revListArgs], { cwd: repo.dir, env: repo.env, encoding: 'utf8' })
    .split('\n').filter((l) => l && !l.startsWith('-')).map((l) => l.split(' ')[0]).join('\n');
  if (!objects) return 0;
  const sizes = execFileSync('git', ['cat-file', '--batch-check=%(objectsize:disk)'], { cwd: repo.dir, env: repo.env, input: `${objects}\n`, encoding: 'utf8' });
  return sizes.split('\n').filter(Boolean).reduce((n, s) => n + Number(s), 0);
}
function findBytes(dir: string, ...args: string[]): number {
  if (!existsSync(dir)) return 0;
  return execFileSync('find', [dir, ...args, '-type', 'f', '-printf', '%s\n'], { encoding: 'utf8' }).split('\n').filter(Boolean).reduce((n, s) => n + Number(s), 0);
}
const refsOf = (repo: TestRepo, id: string) => repo.git('for-each-ref', '--format=%(refname)').split('\n').filter((r) => r.includes(id));
const zipOf = (id: string) => `04-agents/backups/sessions/${id}-backup.zip`;

/**
 * Every file under the project (.git's objects and refs included) with its size and mtime, and every ref: what a dry
 * run must leave alone. (Folders' own mtimes are left out: the repository lock comes and goes in .git/.)
 */
function state(repo: TestRepo): string {
  const files = execFileSync('find', ['.', '-type', 'f', '-printf', '%p %s %T@\n'], { cwd: repo.dir, encoding: 'utf8' }).split('\n').sort().join('\n');
  return `${files}\n${repo.git('for-each-ref', '--format=%(objectname) %(refname)')}`;
}

/** A transcript turn stored as specmap stores it (agent/transcripts.ts): a commit of turn.jsonl on refs/specmap/transcripts/<id>. */
function storeTranscript(repo: TestRepo, id: string, text: string): void {
  const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, env: repo.env, input: text, encoding: 'utf8' }).trim();
  const tree = execFileSync('git', ['mktree'], { cwd: repo.dir, env: repo.env, input: `100644 blob ${blob}\tturn.jsonl\n`, encoding: 'utf8' }).trim();
  const commit = execFileSync('git', ['commit-tree', tree, '-m', `specmap transcript: ${id}`], { cwd: repo.dir, env: repo.env, encoding: 'utf8' }).trim();
  repo.git('update-ref', `refs/specmap/transcripts/${id}`, commit);
}

describe('api diskUsage', () => {
  it("counts each session's checkpoints, git objects, transcript, ZIP and folder as git and the file system do", async () => {
    const repo = inProcessRepo(NOW);
    const big = noise(19, 60_000);
    const a = await session(repo, 'alpha', `${DAY}T10:00:00`, { 'data/big.bin': big });
    pinClock(`${DAY}T11:00:00`);
    repo.write('notes.txt', 'later\n');
    storeTranscript(repo, a, `${JSON.stringify({ type: 'user', message: { role: 'user', content: noise(3, 2000).toString('hex') } })}\n`);
    const b = await session(repo, 'beta', `${DAY}T12:00:00`, { 'b.txt': 'beta\n' }, { active: true });
    await checkpoint({ cwd: repo.dir, session: b, description: 'second', allowEmpty: true });

    const r = await diskUsage({ cwd: repo.dir });
    expect(r.sessions.map((s) => [s.session_id, s.state, s.checkpoints, s.safety_snapshots, s.zip])).toEqual([
      [a, 'archive', 1, 0, zipOf(a)],
      [b, 'active', 2, 0, null],
    ]);
    const user = ['--exclude=refs/sessions/*', '--exclude=refs/tags/checkpoints/*', '--exclude=refs/specmap/*', '--exclude=refs/backups/*', '--exclude=refs/tags/milestones/*', '--all'];
    for (const s of r.sessions) {
      const own = refsOf(repo, s.session_id);
      expect(s.checkpoints).toBe(repo.git('tag', '-l', `checkpoints/${s.session_id}/*`).split('\n').filter(Boolean).length);
      expect(s.git_bytes).toBe(catFileDiskSum(repo, ['--objects-edge-aggressive', ...own, '--not', ...user]));
      expect(s.unique_bytes).toBeLessThanOrEqual(s.git_bytes);
      const dir = join(repo.dir, `04-agents/sessions/${s.state}/${s.session_id}`);
      expect(s.workspace_bytes).toBe(findBytes(dir));
    }
    const [ra, rb] = r.sessions;
    // The checkpoint holds the 60 kB of noise no branch has: git stores about that much for it (zlib cannot shrink noise).
    expect(ra!.git_bytes).toBeGreaterThan(60_000);
    expect(rb!.git_bytes).toBeGreaterThan(60_000);
    // …but both sessions hold it (beta's base has the untracked file too), so neither alone is the only holder.
    expect(ra!.unique_bytes).toBeLessThan(10_000);
    expect(ra!.transcript_bytes).toBe(catFileDiskSum(repo, ['--objects', `refs/specmap/transcripts/${a}`]));
    expect(ra!.transcript_bytes).toBeGreaterThan(2000);
    const zipFiles = [zipOf(a), zipOf(a).replace(/\.zip$/, '.manifest.json'), `${zipOf(a)}.sha256`];
    expect(ra!.zip_bytes).toBe(zipFiles.reduce((n, f) => n + statSync(join(repo.dir, f)).size, 0));
    expect(r.totals).toMatchObject({ sessions: 2, checkpoints: 3, transcript_bytes: ra!.transcript_bytes, session_zip_bytes: ra!.zip_bytes, workspace_bytes: ra!.workspace_bytes + rb!.workspace_bytes });
    expect(r.totals.git_bytes).toBe(catFileDiskSum(repo, ['--objects-edge-aggressive', ...refsOf(repo, a), ...refsOf(repo, b), '--not', ...user]));

    const counted = Object.fromEntries(repo.git('count-objects', '-v').split('\n').map((l) => l.split(': ')));
    expect(r.objects).toEqual({
      loose_count: Number(counted.count), loose_bytes: findBytes(join(repo.dir, '.git/objects'), '-path', '*/objects/??/*'),
      packs: Number(counted.packs), packed_objects: Number(counted['in-pack']), pack_bytes: findBytes(join(repo.dir, '.git/objects/pack')), gc_auto: 0,
    });

    // Once a branch has the big file, the sessions no longer cost it.
    repo.git('add', 'data/big.bin');
    repo.git('commit', '-q', '-m', 'keep the data');
    const after = await diskUsage({ cwd: repo.dir, session: a.slice(0, 25) });
    expect(after.sessions.map((s) => s.session_id)).toEqual([a]);
    expect(after.sessions[0]!.git_bytes).toBeLessThan(ra!.git_bytes - 55_000);
    expect(after.totals.sessions).toBe(2);
  });

  it('counts daily backups and milestones, refs without a folder, and refuses an unknown session', async () => {
    const repo = inProcessRepo(NOW);
    repo.write('00-governance/charter.md', '# Charter\n');
    repo.commitAll('layout');
    await dailyBackup({ cwd: repo.dir });
    pinClock(`2025-10-26T10:00:00`);
    await dailyBackup({ cwd: repo.dir });
    const id = await session(repo, 'gone', `2025-10-26T11:00:00`, { 'x.txt': 'x\n' }, { active: true });
    execFileSync('rm', ['-rf', join(repo.dir, `04-agents/sessions/active/${id}`)]);

    const r = await diskUsage({ cwd: repo.dir });
    expect(r.sessions.map((s) => [s.session_id, s.state, s.checkpoints, s.workspace_bytes])).toEqual([[id, 'no-folder', 1, 0]]);
    expect(r.totals.daily.count).toBe(2);
    expect(r.totals.daily.disk_bytes).toBe(findBytes(join(repo.dir, '04-agents/backups/daily')));
    // The charter is on main: the backups hold their commits and root trees, none of main's blobs again.
    expect(r.totals.daily.git_bytes).toBe(catFileDiskSum(repo, ['--objects-edge-aggressive', 'refs/backups/daily/2025-10-25', 'refs/backups/daily/2025-10-26', '--not', '--exclude=refs/backups/*', '--all']));
    expect(r.totals.daily.git_bytes).toBeLessThan(2000);
    expect(r.totals.milestones).toEqual({ count: 0, disk_bytes: 0, git_bytes: 0 });
    expect((await diskUsage({ cwd: repo.dir, session: id })).sessions).toHaveLength(1);
    expect((await rejection(() => diskUsage({ cwd: repo.dir, session: 'no-such-session' }))).code).toBe('SESSION_NOT_FOUND');
    expect((await rejection(() => diskUsage({ cwd: repo.dir, session: '--all' }))).code).toBe('INVALID_INPUT');
  });
});

describe('api gc: session ZIPs', () => {
  it('drops the ZIPs beyond the newest N while git and the folder hold everything in them; restores still come from git', async () => {
    const repo = inProcessRepo(NOW);
    const old = await session(repo, 'old', `2025-10-01T10:00:00`, { 'a.txt': 'a\n' });
    const mid = await session(repo, 'mid', `2025-10-10T10:00:00`, { 'b.txt': 'b\n' });
    const fresh = await session(repo, 'fresh', `2025-10-20T10:00:00`, { 'c.txt': 'c\n' });
    pinClock(`${DAY}T10:00:00`);
    const zipBytes = (id: string) => [zipOf(id), zipOf(id).replace(/\.zip$/, '.manifest.json'), `${zipOf(id)}.sha256`].reduce((n, f) => n + statSync(join(repo.dir, f)).size, 0);
    const bytes = zipBytes(old) + zipBytes(mid);
    const refs = repo.git('for-each-ref');

    const r = await gc({ cwd: repo.dir, keepSessionZips: 1 });
    expect(r.removed.map((x) => [x.kind, x.name])).toEqual([['session_zip', mid], ['session_zip', old]]);
    expect(r.removed[0]!.paths).toEqual([zipOf(mid), zipOf(mid).replace(/\.zip$/, '.manifest.json'), `${zipOf(mid)}.sha256`]);
    expect(r.freed_bytes).toBe(bytes);
    expect(r.held_back).toEqual([]);
    expect(r.policy).toEqual({ keep_session_zips: 1, session_zip_days: null, keep_daily: null, keep_milestones: null, safety_days: 30, drop_unique_safety: false });
    expect(readdirSync(join(repo.dir, '04-agents/backups/sessions')).sort()).toEqual([`${fresh}-backup.manifest.json`, `${fresh}-backup.zip`, `${fresh}-backup.zip.sha256`]);
    expect(repo.git('for-each-ref')).toBe(refs);
    expect((await listCheckpoints({ cwd: repo.dir, session: old })).checkpoints.map((c) => c.source)).toEqual(['git']);
  });

  it('never drops the last copy: a ZIP whose checkpoints git lost, whose folder changed, or that has no folder stays', async () => {
    const repo = inProcessRepo(NOW);
    const lost = await session(repo, 'lost', `2025-10-01T10:00:00`, { 'a.txt': 'a\n' });
    const edited = await session(repo, 'edited', `2025-10-02T10:00:00`, { 'b.txt': 'b\n' });
    const moved = await session(repo, 'moved', `2025-10-03T10:00:00`, { 'c.txt': 'c\n' });
    const talk = await session(repo, 'talk', `2025-10-04T10:00:00`, { 'd.txt': 'd\n' }, { active: true });
    storeTranscript(repo, talk, '{"type":"user"}\n');
    await end({ cwd: repo.dir, session: talk });
    pinClock(`${DAY}T10:00:00`);
    // The session's refs go (as a careless `git update-ref -d` or a prune of refs would do): the ZIP is all that is left.
    for (const ref of refsOf(repo, lost)) repo.git('update-ref', '-d', ref);
    writeFileSync(join(repo.dir, `04-agents/sessions/archive/${edited}/summary.md`), 'rewritten after the end\n');
    execFileSync('mv', [join(repo.dir, `04-agents/sessions/archive/${moved}`), join(repo.dir, 'elsewhere')]);
    repo.git('update-ref', '-d', `refs/specmap/transcripts/${talk}`);
    const zips = readdirSync(join(repo.dir, '04-agents/backups/sessions')).map((f) => readFileSync(join(repo.dir, '04-agents/backups/sessions', f)));

    const r = await gc({ cwd: repo.dir, keepSessionZips: 0 });
    expect(r.removed).toEqual([]);
    expect(Object.fromEntries(r.held_back.map((x) => [x.name, x.reason]))).toEqual({
      [lost]: expect.stringContaining('git no longer holds checkpoint'),
      [edited]: `04-agents/sessions/archive/${edited}/summary.md is not in the session folder as the ZIP has it`,
      [moved]: expect.stringContaining('no archived folder'),
      [talk]: 'its transcript is not in git as the ZIP has it',
    });
    expect(readdirSync(join(repo.dir, '04-agents/backups/sessions')).map((f) => readFileSync(join(repo.dir, '04-agents/backups/sessions', f)))).toEqual(zips);
  });

  it('keeps ZIPs younger than --older-than days, and active sessions are never candidates', async () => {
    const repo = inProcessRepo(NOW);
    const ended = await session(repo, 'ended', `2025-10-15T10:00:00`, { 'a.txt': 'a\n' });
    await session(repo, 'open', `2025-10-16T10:00:00`, { 'b.txt': 'b\n' }, { active: true });
    pinClock(`${DAY}T10:00:00`);
    expect((await gc({ cwd: repo.dir, keepSessionZips: 0, olderThanDays: 30 })).removed).toEqual([]);
    pinClock('2025-11-20T10:00:00');
    expect((await gc({ cwd: repo.dir, keepSessionZips: 0, olderThanDays: 30, dryRun: true })).removed.map((x) => x.name)).toEqual([ended]);
    expect((await gc({ cwd: repo.dir, keepSessionZips: 0, olderThanDays: 40 })).removed).toEqual([]);
  });

  it('reads retention from 04-agents/config.yaml, flags first; a bad value there is CORRUPT_DATA and a bad count INVALID_INPUT', async () => {
    const repo = inProcessRepo(NOW);
    const id = await session(repo, 'one', `2025-10-01T10:00:00`, { 'a.txt': 'a\n' });
    pinClock(`${DAY}T10:00:00`);
    repo.write('04-agents/config.yaml', 'retention:\n  session_zips: 0\n  safety_days: null\n');
    expect((await gc({ cwd: repo.dir, keepSessionZips: 5, dryRun: true })).removed).toEqual([]);
    const r = await gc({ cwd: repo.dir, dryRun: true });
    expect([r.policy.keep_session_zips, r.policy.safety_days, r.removed.map((x) => x.name)]).toEqual([0, null, [id]]);
    repo.write('04-agents/config.yaml', 'retention:\n  session_zips: ten\n');
    expect((await rejection(() => gc({ cwd: repo.dir }))).code).toBe('CORRUPT_DATA');
    expect((await rejection(() => gc({ cwd: join(repo.dir, 'nowhere'), keepSessionZips: -1 }))).code).toBe('INVALID_INPUT');
    expect((await rejection(() => gc({ cwd: repo.dir, olderThanDays: 1.5 }))).code).toBe('INVALID_INPUT');
  });
});

describe('api gc: dry run, backups, safety snapshots, loose objects', () => {
  it('--dry-run lists what would go and changes no file and no ref', async () => {
    const repo = inProcessRepo(NOW);
    repo.write('00-governance/charter.md', '# Charter\n');
    repo.commitAll('layout');
    await session(repo, 'one', `2025-10-01T10:00:00`, { 'a.txt': 'a\n' });
    await session(repo, 'two', `2025-10-02T10:00:00`, { 'b.txt': 'b\n' });
    pinClock(`2025-10-03T10:00:00`);
    await dailyBackup({ cwd: repo.dir });
    pinClock(`${DAY}T10:00:00`);
    await dailyBackup({ cwd: repo.dir });
    repo.git('config', 'gc.auto', '1');
    const before = state(repo);
    const r = await gc({ cwd: repo.dir, keepSessionZips: 0, keepDaily: 1, dryRun: true });
    expect(r.removed.map((x) => [x.kind, x.name])).toEqual([['daily', '2025-10-03'], ['session_zip', expect.stringContaining('two')], ['session_zip', expect.stringContaining('one')]]);
    expect(r.loose_objects).toMatchObject({ gc_auto: 1, packed: true, after: null });
    expect(state(repo)).toBe(before);
  });

  it('prunes daily backups only when a count is given, as backup prune does', async () => {
    const repo = inProcessRepo(NOW);
    repo.write('00-governance/charter.md', '# Charter\n');
    repo.commitAll('layout');
    pinClock('2025-10-20T10:00:00');
    await dailyBackup({ cwd: repo.dir });
    pinClock(`${DAY}T10:00:00`);
    await dailyBackup({ cwd: repo.dir });
    expect((await gc({ cwd: repo.dir })).removed).toEqual([]);
    const folder = join(repo.dir, '04-agents/backups/daily/2025-10-20');
    const bytes = findBytes(folder);
    const r = await gc({ cwd: repo.dir, keepDaily: 1 });
    expect(r.removed).toEqual([{ kind: 'daily', name: '2025-10-20', paths: ['04-agents/backups/daily/2025-10-20/', 'refs/backups/daily/2025-10-20'], bytes }]);
    expect([existsSync(folder), repo.git('for-each-ref', 'refs/backups/daily/').split('\n').length]).toEqual([false, 1]);
  });

  it('drops old safety snapshots other refs cover, keeps the ones holding unique content unless told, and never both of two copies', async () => {
    const repo = inProcessRepo(NOW);
    const id = await session(repo, 'agent', `2025-09-01T10:00:00`, { 'a.txt': 'a\n' }, { active: true });
    pinClock('2025-10-20T10:00:00');
    repo.write('b.txt', 'b\n');
    await checkpoint({ cwd: repo.dir, session: id, description: 'recent' });
    const [cp1, cp2] = repo.git('tag', '-l', `checkpoints/${id}/*`).split('\n').map((t) => t.split('/').pop()!);
    const tree = (rev: string) => repo.git('rev-parse', `${rev}^{tree}`);
    const uniqueBlob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo.dir, env: repo.env, input: 'untracked scratch\n', encoding: 'utf8' }).trim();
    const uniqueTree = execFileSync('git', ['mktree'], { cwd: repo.dir, env: repo.env, input: `100644 blob ${uniqueBlob}\tscratch.txt\n`, encoding: 'utf8' }).trim();
    const safety = (cp: string, suffix = '') => `refs/specmap/safety/${id}/${cp}${suffix}`;
    // Old (cp1, 2025-09-01): one covered by its checkpoint, one unique; recent (cp2): covered, but too young.
    repo.git('update-ref', safety(cp1!), tree(`refs/tags/checkpoints/${id}/${cp1}`));
    repo.git('update-ref', safety(cp2!), tree(`refs/tags/checkpoints/${id}/${cp2}`));
    repo.git('update-ref', `refs/specmap/safety/${id}/${cp1}-copy`, uniqueTree);
    pinClock(`${DAY}T10:00:00`);

    const r = await gc({ cwd: repo.dir });
    expect(r.removed).toEqual([{ kind: 'safety_snapshot', name: `${id}/${cp1}`, paths: [safety(cp1!)], bytes: 0 }]);
    expect(r.held_back).toEqual([{ kind: 'safety_snapshot', name: `${id}/${cp1}-copy`, reason: expect.stringContaining('its checkpoint tag is gone') }]);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/specmap/safety/').split('\n')).toEqual([safety(cp1!, '-copy'), safety(cp2!)]);

    // Two old snapshots of the same unique tree: each covers the other, but only one of them may go.
    repo.git('update-ref', '-d', safety(cp1!, '-copy'));
    repo.git('update-ref', safety(cp1!), uniqueTree);
    repo.git('update-ref', `refs/tags/checkpoints/${id}/${cp1}-twin`, `refs/tags/checkpoints/${id}/${cp1}`);
    repo.git('update-ref', safety(cp1!, '-twin'), uniqueTree);
    const twins = await gc({ cwd: repo.dir, safetyOlderThanDays: 30 });
    expect(twins.removed.map((x) => x.name)).toEqual([`${id}/${cp1}`]);
    expect(twins.held_back).toEqual([{ kind: 'safety_snapshot', name: `${id}/${cp1}-twin`, reason: expect.stringContaining('2 object(s) no other ref has') }]);
    expect(repo.git('cat-file', '-t', `${safety(cp1!, '-twin')}`)).toBe('tree');

    const forced = await gc({ cwd: repo.dir, dropUniqueSafety: true });
    expect(forced.removed.map((x) => x.name)).toEqual([`${id}/${cp1}-twin`]);
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/specmap/safety/')).toBe(safety(cp2!));
  });

  it('packs the loose objects once there are more than gc.auto, and not while gc.auto is 0', async () => {
    const repo = inProcessRepo(NOW);
    await session(repo, 'one', `${DAY}T10:00:00`, { 'a.txt': 'a\n', 'b.txt': 'b\n' }, { active: true });
    const loose = () => Number(/count: (\d+)/.exec(repo.git('count-objects', '-v'))![1]);
    const n = loose();
    expect(n).toBeGreaterThan(10);
    expect((await gc({ cwd: repo.dir })).loose_objects).toEqual({ count: n, gc_auto: 0, packed: false, after: n });
    repo.git('config', 'gc.auto', String(n));
    expect((await gc({ cwd: repo.dir })).loose_objects.packed).toBe(false);
    repo.git('config', 'gc.auto', '5');
    const r = await gc({ cwd: repo.dir });
    expect(r.loose_objects).toEqual({ count: n, gc_auto: 5, packed: true, after: loose() });
    expect(loose()).toBeLessThan(5);
    expect(Number(/packs: (\d+)/.exec(repo.git('count-objects', '-v'))![1])).toBe(1);
    repo.git('fsck', '--connectivity-only', '--no-progress');
    expect((await diskUsage({ cwd: repo.dir })).sessions[0]!.git_bytes).toBeGreaterThan(0);
  });
});

describe('api gc outside a repository', () => {
  it('is NOT_A_REPO', async () => {
    inProcessRepo(NOW);
    expect((await rejection(() => gc({ cwd: scratch() }))).code).toBe('NOT_A_REPO');
  });
});
